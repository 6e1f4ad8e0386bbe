/**
 * F(n) by doubling with squares only, the way GMP's mpz_fib_ui does it: two squarings per bit of n
 * instead of the textbook doubling's three multiplications, and one multiplication (not two) for
 * the last and largest step, which alone costs about as much as all the steps before it.
 *   F(2k-1) = F(k)^2 + F(k-1)^2
 *   F(2k+1) = 4F(k)^2 - F(k-1)^2 + 2(-1)^k
 *   F(2k)   = F(2k+1) - F(2k-1)
 * and for the last step
 *   F(2k)   = F(k) * (F(k) + 2F(k-1))
 *   F(2k+1) = (2F(k) + F(k-1)) * (2F(k) - F(k-1)) + 2(-1)^k
 * F(0) = 0, F(1) = 1.
 */
export function fibonacci(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`index must be a non-negative integer, got ${n}`);
  if (n <= 2) return n === 0 ? 0n : 1n;
  const k = Math.floor(n / 2);
  const [fk, fk1] = fibonacciPair(k);
  if (n % 2 === 0) return fk * (fk + (fk1 << 1n));
  const twice = fk << 1n;
  return (twice + fk1) * (twice - fk1) + (k % 2 === 0 ? 2n : -2n);
}

/** [F(k), F(k-1)] for k >= 1. */
function fibonacciPair(k: number): [bigint, bigint] {
  let f = 1n; // F(m)
  let f1 = 0n; // F(m-1)
  let odd = true; // m is odd; m starts at 1, the highest bit of k
  // Walk the bits of k below its highest one, doubling m (and adding 1 for a set bit) each time.
  for (let bit = highestBit(k) / 2; bit >= 1; bit /= 2) {
    const square = f * f;
    const square1 = f1 * f1;
    const below = square + square1; // F(2m-1)
    const above = (square << 2n) - square1 + (odd ? -2n : 2n); // F(2m+1)
    if (Math.floor(k / bit) % 2 === 1) {
      f = above;
      f1 = above - below; // F(2m)
      odd = true;
    } else {
      f = above - below;
      f1 = below;
      odd = false;
    }
  }
  return [f, f1];
}

function highestBit(n: number): number {
  let bit = 1;
  while (bit * 2 <= n) bit *= 2;
  return bit;
}

/** Length of the head and tail kept in a preview of a long value. */
export const PREVIEW_EDGE = 20;

/** `12345678901234567890…09876543210987654321` for long values, the value itself for short ones. */
export function previewOf(value: string, edge = PREVIEW_EDGE): string {
  return value.length <= edge * 2 + 1 ? value : `${value.slice(0, edge)}…${value.slice(-edge)}`;
}
