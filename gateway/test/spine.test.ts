import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fibonacci } from '@fibgraph/core';
import { CALCULATION, CALCULATIONS, SUBMIT, VALUE_CALCULATED, VALUES, type CalculationData } from './operations.js';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 2, workers: 1 });
});
afterAll(() => system?.stop());

type Event = { valueCalculated: CalculationData };

async function doneValue(index: number): Promise<CalculationData> {
  const client = system.client();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const { data } = await client.request<{ calculation: CalculationData | null }>(CALCULATION, { index });
    if (data?.calculation?.status === 'DONE') return data.calculation;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`F(${index}) never became DONE`);
}

describe('submitValue to valueCalculated', () => {
  it('delivers the exact F(90) to a subscriber', async () => {
    const events = await system.subscribe<Event>(VALUE_CALCULATED);
    const { data, errors } = await system.client().request<{ submitValue: CalculationData }>(SUBMIT, { index: 90 });
    expect(errors).toBeUndefined();
    expect(data?.submitValue.index).toBe(90);
    expect(['PENDING', 'DONE']).toContain(data?.submitValue.status);

    const event = await events.waitFor((e) => e.valueCalculated.index === 90);
    expect(event.valueCalculated).toMatchObject({ status: 'DONE', value: '2880067194370816120', digits: 19 });
  });

  it('delivers a result computed for one gateway to subscribers of another gateway', async () => {
    const onSecond = await system.subscribe<Event>(VALUE_CALCULATED, 1);
    await system.client(0).request(SUBMIT, { index: 1234 });
    const event = await onSecond.waitFor((e) => e.valueCalculated.index === 1234);
    expect(event.valueCalculated.value).toBe(fibonacci(1234).toString());
  });

  it('answers a repeated submission DONE from the cache without enqueueing or recomputing', async () => {
    const first = await doneValue(90);
    const addedBefore = await system.jobsEverEnqueued();

    const { data } = await system.client(1).request<{ submitValue: CalculationData }>(SUBMIT, { index: 90 });
    expect(data?.submitValue).toEqual({ index: 90, status: 'DONE', value: '2880067194370816120', digits: 19 });
    expect(await system.jobsEverEnqueued()).toBe(addedBefore);
    expect((await doneValue(90)).updatedAt).toBe(first.updatedAt);
  });

  it('computes F(1,000,000) exactly, with 208,988 digits, and publishes a short preview', async () => {
    const events = await system.subscribe<{ valueCalculated: Omit<CalculationData, 'value'> }>(
      'subscription { valueCalculated { index status digits preview computeMs } }',
    );
    await system.client().request(SUBMIT, { index: 1_000_000 });
    const event = await events.waitFor((e) => e.valueCalculated.index === 1_000_000, 60_000);
    const expected = fibonacci(1_000_000).toString();
    expect(event.valueCalculated.digits).toBe(208_988);
    expect(event.valueCalculated.preview).toBe(`${expected.slice(0, 20)}…${expected.slice(-20)}`);
    const stored = await doneValue(1_000_000);
    expect(stored.value).toBe(expected);
  });

  it('lists every submission newest first, repeats included', async () => {
    const client = system.client();
    for (const index of [7, 8, 7]) await client.request(SUBMIT, { index });
    const { data } = await client.request<{ values: { id: string; index: number; submittedAt: string }[] }>(VALUES, {
      limit: 3,
    });
    expect(data?.values.map((v) => v.index)).toEqual([7, 8, 7]);
    const times = data!.values.map((v) => Date.parse(v.submittedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages through every submission with `before`, each once, in the same order, and refuses an unknown id', async () => {
    const client = system.client();
    await Promise.all(Array.from({ length: 25 }, (_, i) => client.request(SUBMIT, { index: 200 + i })));
    type Page = { values: { id: string; index: number }[] };
    const all = (await client.request<Page>(VALUES_PAGE, { limit: 100 })).data!.values;
    expect(all.length).toBeGreaterThanOrEqual(25);

    const paged = await pageThrough(7, async (before?: string) =>
      (await client.request<Page>(VALUES_PAGE, { limit: 7, before })).data!.values.map((s) => s.id),
    );
    expect(paged).toEqual(all.map((s) => s.id));

    for (const bad of ['999999999', 'x1']) {
      const { errors } = await client.request(VALUES_PAGE, { limit: 5, before: bad });
      expect(errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
    }
  });

  it('pages through the calculations with `before`, each once, in the same order, and refuses an unlisted index', async () => {
    const client = system.client();
    for (let i = 0; i < 12; i++) await client.request(SUBMIT, { index: 300 + i });
    type Page = { calculations: { index: number }[] };
    const all = (await client.request<Page>(CALCULATIONS_PAGE, { limit: 100 })).data!.calculations.map((c) => c.index);
    expect(all.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => 311 - i));

    const paged = await pageThrough(5, async (before?: number) =>
      (await client.request<Page>(CALCULATIONS_PAGE, { limit: 5, before })).data!.calculations.map((c) => c.index),
    );
    expect(paged).toEqual(all);

    for (const bad of [999_999, -1]) {
      const { errors } = await client.request(CALCULATIONS_PAGE, { limit: 5, before: bad });
      expect(errors?.[0]?.extensions?.code, String(bad)).toBe('BAD_USER_INPUT');
    }
  });

  it('lists calculations most recently submitted first', async () => {
    const client = system.client();
    await client.request(SUBMIT, { index: 11 });
    await client.request(SUBMIT, { index: 12 });
    const { data } = await client.request<{ calculations: CalculationData[] }>(CALCULATIONS, { limit: 2 });
    expect(data?.calculations.map((c) => c.index)).toEqual([12, 11]);
  });
});

const VALUES_PAGE = /* GraphQL */ `
  query ($limit: Int, $before: ID) {
    values(limit: $limit, before: $before) {
      id
      index
    }
  }
`;

const CALCULATIONS_PAGE = /* GraphQL */ `
  query ($limit: Int, $before: Int) {
    calculations(limit: $limit, before: $before) {
      index
    }
  }
`;

/** Reads a list `size` at a time, each page after the last entry (its cursor) of the one before, to the end. */
async function pageThrough<C>(size: number, readPage: (before?: C) => Promise<C[]>): Promise<C[]> {
  const all: C[] = [];
  for (;;) {
    const page = await readPage(all.at(-1));
    all.push(...page);
    if (page.length < size) return all;
  }
}
