import { fibonacci, previewOf } from '@fibgraph/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { calculate } from './calculate.js';
import type * as decimal from './decimal.js';
import { decimalConversion, gmpDecimal, toDecimal } from './decimal.js';

// The real module, watched: the last test checks that the worker's calculation goes through it.
vi.mock('./decimal.js', async (real) => {
  const actual = await real<typeof decimal>();
  return { ...actual, toDecimal: vi.fn(actual.toDecimal) };
});

/** GMP's conversion, or a failure that says how to build it (npm ci builds it when libgmp-dev is installed). */
function gmp(): (value: bigint) => string {
  expect(decimalConversion, 'the worker converts with GMP (worker/native/build.mjs)').toEqual({ by: 'gmp' });
  return gmpDecimal!;
}

describe('toDecimal', () => {
  it('is built and loaded: the worker converts huge values with GMP, not V8', () => {
    gmp();
  });

  it("gives V8's digits at the edges: zero, one, word and power-of-ten boundaries, both signs", () => {
    const convert = gmp();
    const edges = [0n, 1n, 9n, 10n];
    for (const bits of [63, 64, 65, 127, 128, 255, 256, 257, 4096]) {
      const power = 1n << BigInt(bits);
      edges.push(power - 1n, power, power + 1n);
    }
    for (const digits of [19, 20, 77, 78, 1_000, 20_000]) {
      const power = 10n ** BigInt(digits);
      edges.push(power - 1n, power, power + 1n);
    }
    for (const value of edges) {
      expect(convert(value)).toBe(value.toString());
      expect(convert(-value)).toBe((-value).toString());
      expect(toDecimal(value)).toBe(value.toString());
    }
  });

  it("gives V8's digits for random values from one word to 100,000 bits", () => {
    const convert = gmp();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 100_000n) - 1n }),
        fc.integer({ min: 1, max: 100_000 }),
        (raw, bits) => {
          const value = raw >> BigInt(100_000 - bits);
          expect(convert(value)).toBe(value.toString());
          expect(toDecimal(value)).toBe(value.toString());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives F(10^6) exactly: 208,988 digits, the same as V8 gives', () => {
    gmp();
    const value = fibonacci(1_000_000);
    const digits = toDecimal(value);
    expect(digits).toHaveLength(208_988);
    expect(digits).toBe(value.toString());
  });

  it('refuses what is not a bigint with a TypeError', () => {
    const convert = gmp() as (value: unknown) => string;
    for (const value of [1, '1', null, undefined, {}]) expect(() => convert(value)).toThrow(TypeError);
    expect(() => (convert as () => string)()).toThrow(TypeError);
  });

  it("is what the worker's calculation uses: F(10^5)'s digit count and preview, as V8 gives them", () => {
    gmp();
    vi.mocked(toDecimal).mockClear();
    const { digits, preview } = calculate(100_000);
    expect(toDecimal).toHaveBeenCalledTimes(1);
    const v8 = fibonacci(100_000).toString();
    expect(digits).toBe(20_899);
    expect(preview).toBe(previewOf(v8));
  });
});
