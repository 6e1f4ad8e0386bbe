import { describe, expect, it } from 'vitest';
import { indexProblem } from './validation.js';

describe('indexProblem', () => {
  it('accepts 0, 1 and the maximum itself', () => {
    expect(indexProblem(0, 1_000_000)).toBeNull();
    expect(indexProblem(1, 1_000_000)).toBeNull();
    expect(indexProblem(1_000_000, 1_000_000)).toBeNull();
  });

  it('refuses a negative index, naming the lower bound', () => {
    expect(indexProblem(-1, 1_000_000)).toBe('index must be at least 0, got -1');
  });

  it('refuses an index above the maximum, naming the maximum', () => {
    expect(indexProblem(1_000_001, 1_000_000)).toBe('index must be at most 1000000, got 1000001');
  });

  it('refuses what is not an integer', () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, '7', null, undefined]) {
      expect(indexProblem(bad, 1_000_000)).toBe('index must be an integer');
    }
  });
});
