/** Default upper bound for an index: F(1,000,000) has 208,988 digits. */
export const DEFAULT_MAX_INDEX = 1_000_000;

/**
 * Why `index` is not an allowed Fibonacci index, or null when it is.
 * Shared by the gateway (the authority) and anything that wants to refuse early.
 */
export function indexProblem(index: unknown, maxIndex: number): string | null {
  if (typeof index !== 'number' || !Number.isInteger(index)) return 'index must be an integer';
  if (index < 0) return `index must be at least 0, got ${index}`;
  if (index > maxIndex) return `index must be at most ${maxIndex}, got ${index}`;
  return null;
}
