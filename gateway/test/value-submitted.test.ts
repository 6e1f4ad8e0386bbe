import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBMIT, VALUES } from './operations.js';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 2, workers: 1 });
});
afterAll(() => system?.stop());

const VALUE_SUBMITTED = /* GraphQL */ `
  subscription {
    valueSubmitted {
      id
      index
      submittedAt
      calculation {
        index
        status
        digits
      }
    }
  }
`;

interface SubmittedEvent {
  valueSubmitted: {
    id: string;
    index: number;
    submittedAt: string;
    calculation: { index: number; status: string; digits: number | null } | null;
  };
}

describe('valueSubmitted', () => {
  it('announces a submission made through one gateway to subscribers of another, as stored in Postgres', async () => {
    const events = await system.subscribe<SubmittedEvent>(VALUE_SUBMITTED, 1);
    await system.client(0).request(SUBMIT, { index: 321 });

    const { valueSubmitted } = await events.waitFor((e) => e.valueSubmitted.index === 321);
    const { data } = await system.client(0).request<{ values: { id: string; submittedAt: string }[] }>(VALUES, {
      limit: 1,
    });
    expect(valueSubmitted.id).toBe(data?.values[0]?.id);
    expect(valueSubmitted.submittedAt).toBe(data?.values[0]?.submittedAt);
    // Published after the enqueue: the result entry exists by then, pending or already done.
    expect(valueSubmitted.calculation?.index).toBe(321);
    expect(['PENDING', 'DONE']).toContain(valueSubmitted.calculation?.status);
  });

  it('announces every repeat of an index, each with its own id, and reports a cached result as DONE', async () => {
    const events = await system.subscribe<SubmittedEvent>(VALUE_SUBMITTED);
    await system.client().request(SUBMIT, { index: 30 });
    const first = await events.waitFor((e) => e.valueSubmitted.index === 30);
    for (let tries = 0; tries < 100; tries++) {
      const { data } = await system.client().request<{ submitValue: { status: string } }>(SUBMIT, { index: 30 });
      if (data?.submitValue.status === 'DONE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const repeat = await events.waitFor(
      (e) =>
        e.valueSubmitted.index === 30 &&
        e.valueSubmitted.id !== first.valueSubmitted.id &&
        e.valueSubmitted.calculation?.status === 'DONE',
    );
    expect(repeat.valueSubmitted.calculation).toEqual({ index: 30, status: 'DONE', digits: 6 });
  });

  it('announces nothing for a refused index', async () => {
    const events = await system.subscribe<SubmittedEvent>(VALUE_SUBMITTED);
    const { errors } = await system.client().request(SUBMIT, { index: -1 });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await system.client().request(SUBMIT, { index: 2 });
    await events.waitFor((e) => e.valueSubmitted.index === 2);
    expect(events.events.some((e) => e.valueSubmitted.index === -1)).toBe(false);
  });
});
