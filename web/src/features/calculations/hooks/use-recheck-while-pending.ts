import { useApolloClient } from '@apollo/client/react';
import { useEffect } from 'react';
import { CalculationStateQuery } from '../operations/calculation-state';

/** How long a shown entry may stay pending before the page asks for its state, and how often after that (ms). */
export const RECHECK_PENDING_MS = 15_000;

/**
 * A safety net under the live events: while a shown entry is pending, its state is fetched again
 * every RECHECK_PENDING_MS. A result normally arrives through valueCalculated, but an event can be
 * missed without the socket dropping (a gateway reconnecting to Redis hears nothing meanwhile,
 * and a result finished just before this page's subscription took effect was never sent to it),
 * and a missed result must not leave "Calculating…" on screen for ever. Only rendered entries
 * (one page of the list) check, so the cost is bounded.
 */
export function useRecheckWhilePending(index: number, pending: boolean): void {
  const client = useApolloClient();
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      // The answer lands in the cache (a Calculation per index); a failure waits for the next turn.
      client
        .query({ query: CalculationStateQuery, variables: { index }, fetchPolicy: 'network-only' })
        .catch(() => undefined);
    }, RECHECK_PENDING_MS);
    return () => clearInterval(timer);
  }, [client, index, pending]);
}
