import { useAnnounce } from '../../../components/announcer';
import { addIfMissing } from '../../../lib/cache-lists';
import { describeResult } from '../../../lib/describe-result';
import { useResumableSubscription } from '../../../lib/use-resumable-subscription';
import { ValueCalculatedSubscription } from '../operations/value-calculated';

/** Feed positions `<epoch>:<n>`: by n within one epoch; another epoch (Redis started afresh) comes after. */
export function cursorIsAfter(a: string, b: string): boolean {
  const [epochA, nA] = a.split(':');
  const [epochB, nB] = b.split(':');
  return epochA !== epochB || Number(nA) > Number(nB);
}

/**
 * Keeps the cached "Calculated values" list live from the feed position `from` (read before the
 * list): results update their entries in place (Apollo normalises them by index), a result for an
 * index not listed yet adds it on top. `reload` reads the position and the list again, when the
 * feed no longer reaches back to the last result applied.
 */
export function useLiveCalculations(from: string | undefined, reload: () => void): void {
  const announce = useAnnounce();
  useResumableSubscription(ValueCalculatedSubscription, {
    from,
    positionOf: ({ valueCalculated }) => valueCalculated.cursor ?? '',
    isAfter: cursorIsAfter,
    onEvent: ({ valueCalculated: result }, { cache }) => {
      addIfMissing(cache, 'calculations', { __typename: 'Calculation', index: result.index });
      announce(describeResult(result));
    },
    onExpired: reload,
  });
}
