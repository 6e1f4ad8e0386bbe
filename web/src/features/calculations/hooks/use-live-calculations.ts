import { useAnnounce } from '../../../components/announcer';
import { addIfMissing, moveToTop } from '../../../lib/cache-lists';
import { describeResult } from '../../../lib/describe-result';
import { useLiveSubscription } from '../../../lib/use-live-subscription';
import { SubmittedCalculationSubscription } from '../operations/value-submitted-calculation';
import { ValueCalculatedSubscription } from '../operations/value-calculated';

/**
 * Keeps the cached "Calculated values" list live: results update their entries in place (Apollo
 * normalises them by index), a result or submission for an index not listed yet adds it on top.
 */
export function useLiveCalculations(): void {
  const announce = useAnnounce();

  useLiveSubscription(ValueCalculatedSubscription, ({ valueCalculated: result }, { cache }) => {
    addIfMissing(cache, 'calculations', { __typename: 'Calculation', index: result.index });
    announce(describeResult(result));
  });

  useLiveSubscription(SubmittedCalculationSubscription, ({ valueSubmitted }, { cache }) => {
    const calculation = valueSubmitted.calculation;
    if (!calculation) return;
    moveToTop(cache, 'calculations', { __typename: 'Calculation', index: calculation.index });
  });
}
