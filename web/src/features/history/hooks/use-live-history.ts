import { addIfMissing } from '../../../lib/cache-lists';
import { useLiveSubscription } from '../../../lib/use-live-subscription';
import { ValueSubmittedSubscription } from '../operations/value-submitted';

/** Keeps "Indexes I have seen" live: each submission, from any tab, goes on top of the cached list. */
export function useLiveHistory(): void {
  useLiveSubscription(ValueSubmittedSubscription, ({ valueSubmitted }, { cache }) => {
    addIfMissing(cache, 'values', { __typename: 'Submission', id: valueSubmitted.id });
  });
}
