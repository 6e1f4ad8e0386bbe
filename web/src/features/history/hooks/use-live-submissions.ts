import { useState } from 'react';
import { addSubmission, moveToTop } from '../../../lib/cache-lists';
import { useResumableSubscription } from '../../../lib/use-resumable-subscription';
import { ValueSubmittedSubscription } from '../operations/value-submitted';

/**
 * The page's one subscription to submissions (any tab, any client). Each goes into "Indexes I
 * have seen" at its place in the server's order and moves its index, with its current state, to
 * the top of "Calculated values" (most recently submitted first).
 *
 * It starts once the `values` list has answered, with `after` = the newest submission in it: the
 * gateway first sends what was stored since. Announcements from several gateways may arrive out of
 * id order, so after a drop it resumes from that same point (applying an announcement twice
 * changes nothing); should more than a list's worth be stored since, `reload` reads the list again
 * and it starts over from its newest.
 */
export function useLiveSubmissions(
  newestId: string | undefined,
  loaded: boolean,
  reload: () => Promise<string | undefined>,
): void {
  const [from, setFrom] = useState<string>();
  // Set while rendering (React's "adjusting state on a prop change"): no extra commit without it.
  if (loaded && from === undefined) setFrom(newestId ?? '0');

  useResumableSubscription(ValueSubmittedSubscription, {
    from,
    positionOf: ({ valueSubmitted }) => valueSubmitted.id,
    onEvent: ({ valueSubmitted }, { cache }) => {
      addSubmission(cache, { __typename: 'Submission', id: valueSubmitted.id });
      const { calculation } = valueSubmitted;
      if (calculation) moveToTop(cache, 'calculations', { __typename: 'Calculation', index: calculation.index });
    },
    onExpired: () => void reload().then((newest) => setFrom(newest ?? '0')),
  });
}
