import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ValueBudget } from './value-budget.js';

// Pure arithmetic: no Redis or Postgres is involved.
function refusal(take: () => void): GraphQLError | undefined {
  try {
    take();
  } catch (err) {
    if (err instanceof GraphQLError) return err;
    throw err;
  }
  return undefined;
}

describe('ValueBudget', () => {
  it('serves values up to the limit in all, then refuses with RESPONSE_TOO_LARGE', () => {
    const budget = new ValueBudget(1_000);
    expect(refusal(() => budget.take(600, undefined))).toBeUndefined();
    expect(refusal(() => budget.take(400, undefined))).toBeUndefined();
    const refused = refusal(() => budget.take(1, undefined));
    expect(refused?.extensions).toEqual({ code: 'RESPONSE_TOO_LARGE', limit: 1_000 });
    expect(refused?.message).toContain('1,000 digits');
  });

  it('always serves the first value of an answer, however large', () => {
    const budget = new ValueBudget(1_000);
    expect(refusal(() => budget.take(208_988, undefined))).toBeUndefined();
    expect(refusal(() => budget.take(1, undefined))?.extensions.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('does not count a refused value against the answer', () => {
    const budget = new ValueBudget(1_000);
    budget.take(900, undefined);
    expect(refusal(() => budget.take(200, undefined))).toBeDefined();
    expect(refusal(() => budget.take(100, undefined))).toBeUndefined();
  });

  it('gives each subscription event (root value) a budget of its own', () => {
    const budget = new ValueBudget(1_000);
    const first = { index: 1 };
    const second = { index: 2 };
    budget.take(1_000, first);
    expect(refusal(() => budget.take(1_000, second))).toBeUndefined();
    expect(refusal(() => budget.take(1, first))?.extensions.code).toBe('RESPONSE_TOO_LARGE');
    expect(refusal(() => budget.take(1, second))?.extensions.code).toBe('RESPONSE_TOO_LARGE');
    // A query's answer (no object root) is counted apart from the events.
    expect(refusal(() => budget.take(1_000, undefined))).toBeUndefined();
  });
});
