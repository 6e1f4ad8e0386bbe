import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fibonacci, previewOf } from './fibonacci.js';

describe('fibonacci', () => {
  it('starts the sequence with F(0) = 0 and F(1) = 1', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(fibonacci)).toEqual([0n, 1n, 1n, 2n, 3n, 5n, 8n, 13n, 21n, 34n, 55n]);
  });

  it('agrees with the additive definition for every index up to 500', () => {
    let [a, b] = [0n, 1n];
    for (let n = 0; n <= 500; n++) {
      expect(fibonacci(n)).toBe(a);
      [a, b] = [b, a + b];
    }
  });

  it('satisfies F(n) = F(n-1) + F(n-2) at random indexes, odd and even, small and large', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200_000 }), (n) => {
        expect(fibonacci(n)).toBe(fibonacci(n - 1) + fibonacci(n - 2));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same F(n) across every power of two and its neighbours (where the bit walk changes length)', () => {
    for (let bit = 4; bit <= 2 ** 17; bit *= 2) {
      for (const n of [bit - 1, bit, bit + 1]) expect(fibonacci(n)).toBe(fibonacci(n - 1) + fibonacci(n - 2));
    }
  });

  it('gives the known exact values of F(90) and F(100)', () => {
    expect(fibonacci(90)).toBe(2880067194370816120n);
    expect(fibonacci(100)).toBe(354224848179261915075n);
    expect(fibonacci(1_000).toString()).toBe(
      '43466557686937456435688527675040625802564660517371780402481729089536555417949051890403879840079255169295922593080322634775209689623239873322471161642996440906533187938298969649928516003704476137795166849228875',
    );
  });

  it('gives F(10^5) with 20,899 digits and its known first and last digits', () => {
    const value = fibonacci(100_000).toString();
    expect(value).toHaveLength(20_899);
    expect(value.startsWith('2597406934722172416615503')).toBe(true);
    expect(value.endsWith('3428746875')).toBe(true);
  });

  it('gives F(10^6) with 208,988 digits', () => {
    const value = fibonacci(1_000_000).toString();
    expect(value).toHaveLength(208_988);
    expect(value.startsWith('19532821287077577316')).toBe(true);
    expect(value.endsWith('68996526838242546875')).toBe(true);
  });

  it("satisfies Cassini's identity F(n-1)F(n+1) - F(n)^2 = (-1)^n at a large index", () => {
    const n = 54_321;
    expect(fibonacci(n - 1) * fibonacci(n + 1) - fibonacci(n) ** 2n).toBe(-1n);
  });

  it('refuses negative and fractional indexes', () => {
    expect(() => fibonacci(-1)).toThrow(RangeError);
    expect(() => fibonacci(1.5)).toThrow(RangeError);
  });
});

describe('previewOf', () => {
  it('keeps a short value whole', () => {
    expect(previewOf('2880067194370816120')).toBe('2880067194370816120');
  });

  it('shortens a long value to its first and last 20 digits', () => {
    const value = '1'.repeat(20) + '5'.repeat(100) + '9'.repeat(20);
    expect(previewOf(value)).toBe(`${'1'.repeat(20)}…${'9'.repeat(20)}`);
  });
});
