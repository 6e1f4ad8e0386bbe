import { useState } from 'react';
import { addSubmission, moveToTop } from '../../../lib/cache-lists';
import { useLiveSubscription } from '../../../lib/use-live-subscription';
import { ValueSubmittedSubscription } from '../operations/value-submitted';

/**
 * The page's one subscription to submissions (any tab, any client). Each goes into "Indexes I
 * have seen" at its place in the server's order and moves its index, with its current state, to the top of "Calculated values" (most
 * recently submitted first).
 *
 * It starts once the `values` list has answered, with `after` = the newest submission in it: the
 * gateway first sends what was stored since, so a submission made between that read and the
 * subscription taking effect is not missed. `newestId` is undefined while the list is loading;
 * `loaded` is true once it answered (or failed: then everything recent is asked for).
 */
export function useLiveSubmissions(newestId: string | undefined, loaded: boolean): void {
  // Fixed at the first answer: a later `after` would restart the subscription at every submission.
  const [after, setAfter] = useState<string>();
  // Set while rendering (React's "adjusting state on a prop change"): no extra commit without it.
  if (loaded && after === undefined) setAfter(newestId ?? '0');

  useLiveSubscription(
    ValueSubmittedSubscription,
    ({ valueSubmitted }, { cache }) => {
      addSubmission(cache, { __typename: 'Submission', id: valueSubmitted.id });
      const { calculation } = valueSubmitted;
      if (calculation) moveToTop(cache, 'calculations', { __typename: 'Calculation', index: calculation.index });
    },
    { variables: { after }, skip: after === undefined },
  );
}
