import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fibonacci } from '@fibgraph/core';
import { waitUntil } from '../../scripts/lib/ports.js';
import { SUBMIT } from './operations.js';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterAll(() => system?.stop());

const aliased = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: calculations(limit: 100) { value }`).join(' ')} }`;

describe('query limits', () => {
  it('refuses an operation with more than 5 aliases before running it', async () => {
    const { data, errors } = await system.client().request(aliased(6));
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('runs an operation with 5 aliases', async () => {
    const { errors } = await system.client().request(aliased(5));
    expect(errors).toBeUndefined();
  });

  it('applies the same limit to subscriptions over the WebSocket', async () => {
    const events = await system
      .client()
      .subscribe<{ error?: unknown }>(
        `subscription { valueCalculated { ${Array.from({ length: 6 }, (_, i) => `a${i}: index`).join(' ')} } }`,
      );
    const event = await events.waitFor((e) => e.error !== undefined, 5_000);
    expect(JSON.stringify(event.error)).toMatch(/aliases/i);
  });
});

describe('the size of an answer', () => {
  // F(50,000) has 10,450 digits: with a budget of 15,000 a request carries one such value, not two.
  let sized: TestSystem;
  const indexes = [50_000, 50_001, 50_002];
  beforeAll(async () => {
    sized = await TestSystem.start({ gateways: 0, workers: 1 });
    await sized.addGateway({ MAX_RESPONSE_DIGITS: '15000' });
    for (const index of indexes) await sized.client().request(SUBMIT, { index });
    await waitUntil('the three values computed', async () => {
      const { data } = await sized
        .client()
        .request<{ calculations: { status: string }[] }>('{ calculations(limit: 3) { status } }');
      return data?.calculations.length === 3 && data.calculations.every((c) => c.status === 'DONE');
    });
  });
  afterAll(() => sized?.stop());

  it('serves values up to MAX_RESPONSE_DIGITS per request, refuses the rest by field, and keeps the rest of the answer', async () => {
    const { data, errors } = await sized.client().request<{
      calculations: { index: number; digits: number; value: string | null }[];
    }>('{ calculations(limit: 3) { index digits value } }');

    const [first, ...others] = data!.calculations;
    expect(first!.value).toBe(fibonacci(first!.index).toString());
    expect(others.map((c) => c.value)).toEqual([null, null]);
    expect(data!.calculations.map((c) => c.digits)).toEqual(
      data!.calculations.map((c) => fibonacci(c.index).toString().length),
    );
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE', 'RESPONSE_TOO_LARGE']);
    expect(errors?.[0]?.message).toMatch(/at most 15,000 fit in one/);
  });

  it('always serves one value, however large, and gives every request a budget of its own', async () => {
    for (const index of indexes) {
      const { data, errors } = await sized
        .client()
        .request<{ calculation: { value: string } }>(`{ calculation(index: ${index}) { value } }`);
      expect(errors).toBeUndefined();
      expect(data?.calculation.value).toBe(fibonacci(index).toString());
    }
    const { errors } = await sized
      .client()
      .request(`{ a: calculation(index: 50000) { value } b: calculation(index: 50001) { digits } }`);
    expect(errors).toBeUndefined();
  });
});
