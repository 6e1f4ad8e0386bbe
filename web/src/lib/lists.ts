/** How many entries a list query asks for: the CONTRACT guarantees `limit` accepts 1..100. */
export const LIST_FETCH_LIMIT = 100;

/** Rows rendered at a time, however many the cache holds (thousands after a long live session). */
export const PAGE_SIZE = 20;
