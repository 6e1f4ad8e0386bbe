/**
 * The job queue's three streams ("lanes"), by the size of the index, so an index that takes
 * microseconds never waits behind a backlog of F(1,000,000)s. Read smallest first (job-stream.ts).
 */
export const LANES = ['small', 'medium', 'large'] as const;
export type Lane = (typeof LANES)[number];

/** Below these indexes a job goes to the small / medium lane; F(20,000) takes about 0.1 ms, F(200,000) 1.7 ms. */
const SMALL_BELOW = 20_000;
const MEDIUM_BELOW = 200_000;

export function laneOf(index: number): Lane {
  if (index < SMALL_BELOW) return 'small';
  if (index < MEDIUM_BELOW) return 'medium';
  return 'large';
}
