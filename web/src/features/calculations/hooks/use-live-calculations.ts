import { useAnnounce } from '../../../components/announcer';
import { addIfMissing } from '../../../lib/cache-lists';
import { describeResult } from '../../../lib/describe-result';
import { useLiveSubscription } from '../../../lib/use-live-subscription';
import { ValueCalculatedSubscription } from '../operations/value-calculated';

/**
 * Keeps the cached "Calculated values" list live: results update their entries in place (Apollo
 * normalises them by index), a result for an index not listed yet adds it on top. Submissions move
 * their index to the top through the page's one submissions feed (history/hooks/use-live-submissions).
 */
export function useLiveCalculations(): void {
  const announce = useAnnounce();

  useLiveSubscription(ValueCalculatedSubscription, ({ valueCalculated: result }, { cache }) => {
    addIfMissing(cache, 'calculations', { __typename: 'Calculation', index: result.index });
    announce(describeResult(result));
  });
}
