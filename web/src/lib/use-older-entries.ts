import { useState } from 'react';
import type { MoreEntries } from '../components/pager';
import { LIST_FETCH_LIMIT } from './lists';

/**
 * "Older" past the end of a cached list: `loadPage` fetches the next LIST_FETCH_LIMIT entries
 * after the list's last one (fetchMore with `before`) and says how many came. The server may hold
 * more while the list is at least one full page long and no answer was shorter than asked for.
 * Returns the Pager's `more`, or undefined once there is nothing older.
 */
export function useOlderEntries(listed: number, loadPage: () => Promise<number>): MoreEntries | undefined {
  const [reachedEnd, setReachedEnd] = useState(false);
  const [loading, setLoading] = useState(false);
  if (reachedEnd || listed < LIST_FETCH_LIMIT) return undefined;
  const load = async () => {
    setLoading(true);
    try {
      if ((await loadPage()) < LIST_FETCH_LIMIT) setReachedEnd(true);
    } catch {
      // Nothing to show but the button, which stays: the next press tries again.
    } finally {
      setLoading(false);
    }
  };
  return { load, loading };
}
