/**
 * F(n) by fast doubling: O(log n) big multiplications instead of the seed's exponential recursion.
 *   F(2k)   = F(k) * (2*F(k+1) - F(k))
 *   F(2k+1) = F(k)^2 + F(k+1)^2
 * F(0) = 0, F(1) = 1.
 */
export function fibonacci(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`index must be a non-negative integer, got ${n}`);
  let a = 0n; // F(k)
  let b = 1n; // F(k+1)
  // Walk the bits of n from the most significant one down.
  for (let bit = highestBit(n); bit > 0; bit = Math.floor(bit / 2)) {
    const c = a * (2n * b - a);
    const d = a * a + b * b;
    if (Math.floor(n / bit) % 2 === 1) {
      a = d;
      b = c + d;
    } else {
      a = c;
      b = d;
    }
  }
  return a;
}

function highestBit(n: number): number {
  let bit = 1;
  while (bit * 2 <= n) bit *= 2;
  return n === 0 ? 0 : bit;
}

/** Length of the head and tail kept in a preview of a long value. */
export const PREVIEW_EDGE = 20;

/** `12345678901234567890…09876543210987654321` for long values, the value itself for short ones. */
export function previewOf(value: string, edge = PREVIEW_EDGE): string {
  return value.length <= edge * 2 + 1 ? value : `${value.slice(0, edge)}…${value.slice(-edge)}`;
}
