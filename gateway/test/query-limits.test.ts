import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fibonacci } from '@fibgraph/core';
import { waitUntil } from '@fibgraph/devstack';
import { SUBMIT } from './operations.js';
import { RawSocket, type GraphQLAnswer } from './raw.js';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterAll(() => system?.stop());

const aliased = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: calculations(limit: 100) { value }`).join(' ')} }`;

describe('query limits', () => {
  // What they refuse, over HTTP and WebSocket alike: hostile.test.ts.
  it('runs an operation with 5 aliases', async () => {
    const { errors } = await system.client().request(aliased(5));
    expect(errors).toBeUndefined();
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

  it('holds a query over the WebSocket to MAX_RESPONSE_DIGITS as over HTTP', async () => {
    const ws = new RawSocket(`ws://127.0.0.1:${sized.gateways[0]!.port}/graphql`);
    await ws.init();
    ws.subscribe('1', '{ calculations(limit: 3) { index value } }');
    const { data, errors } = await ws.answer('1');
    const [first, ...others] = (data as { calculations: { index: number; value: string | null }[] }).calculations;
    expect(first!.value).toBe(fibonacci(first!.index).toString());
    expect(others.map((c) => c.value)).toEqual([null, null]);
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE', 'RESPONSE_TOO_LARGE']);
    ws.close();
  });

  it('gives every subscription event a budget of its own', async () => {
    const ws = new RawSocket(`ws://127.0.0.1:${sized.gateways[0]!.port}/graphql`);
    await ws.init();
    ws.subscribe('live', 'subscription { valueCalculated { index value } }');
    await waitUntil('the gateway subscribed', async () => {
      const [, count] = (await sized.inspect().call('PUBSUB', 'NUMSUB', `${sized.prefix}valueCalculated`)) as [
        string,
        number,
      ];
      return count > 0;
    });
    for (const index of [50_003, 50_004]) await sized.client().request(SUBMIT, { index });
    const events = await ws.until('two events', () => {
      const next = ws.messages.filter((m) => m.id === 'live' && m.type === 'next');
      return next.length >= 2 ? next.map((m) => m.payload as GraphQLAnswer) : undefined;
    });
    for (const event of events) {
      expect(event.errors).toBeUndefined();
      const { index, value } = (event.data as { valueCalculated: { index: number; value: string } }).valueCalculated;
      expect(value).toBe(fibonacci(index).toString());
    }
    ws.close();
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
