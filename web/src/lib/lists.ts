/** How many entries a list query asks for: the CONTRACT guarantees `limit` accepts 1..100. */
export const LIST_FETCH_LIMIT = 100;

/** Rows rendered at a time, however many the cache holds (thousands after a long live session). */
export const PAGE_SIZE = 20;

/**
 * The most entries a cached list keeps from live events and refetches: a flood of events (a busy
 * system, a long session) cannot slow an open tab. Entries pushed out come back through "Older";
 * pages loaded that way are kept (the cap is never below what the list already holds).
 */
export const LIST_CACHE_CAP = 500;

export function capped<T>(list: readonly T[], heldBefore: number): T[] {
  return list.slice(0, Math.max(LIST_CACHE_CAP, heldBefore));
}
