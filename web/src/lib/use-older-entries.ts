import { useState } from 'react';
import type { MoreEntries } from '../components/pager';
import { LIST_FETCH_LIMIT } from './lists';

/**
 * "Older" past the end of a cached list: `loadPage` fetches the next LIST_FETCH_LIMIT entries
 * after the list's last one (fetchMore with `before`) and says how many came. The server may hold
 * more while the list is at least one full page long and no answer was shorter than asked for
 * after the entry that is last now (`last`): live entries push the last ones out of a capped
 * list (lists.ts), and those come back through here. Returns the Pager's `more`, or undefined once
 * there is nothing older.
 */
export function useOlderEntries(
  listed: number,
  last: unknown,
  loadPage: () => Promise<{ count: number; last: unknown }>,
): MoreEntries | undefined {
  // The last entry when the server last had nothing older than it.
  const [endAt, setEndAt] = useState<{ last: unknown }>();
  const [loading, setLoading] = useState(false);
  if (listed < LIST_FETCH_LIMIT || (endAt && endAt.last === last)) return undefined;
  const load = async () => {
    setLoading(true);
    try {
      const page = await loadPage();
      if (page.count < LIST_FETCH_LIMIT) setEndAt({ last: page.last });
    } catch {
      // Nothing to show but the button, which stays: the next press tries again.
    } finally {
      setLoading(false);
    }
  };
  return { load, loading };
}
