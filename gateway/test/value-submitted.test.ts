import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@fibgraph/devstack';
import { GraphQLClient } from './graphql-client.js';
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

  it('with `after`, first sends the submissions stored since that one, oldest first, then goes on live, each once', async () => {
    for (const index of [501, 502, 503]) await system.client(0).request(SUBMIT, { index });
    const newest = await latestSubmissions(3);
    expect(newest.map((s) => s.index)).toEqual([503, 502, 501]);

    const events = await system.subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, 1, { after: newest[2]!.id });
    await events.waitFor((e) => e.valueSubmitted?.index === 503);
    await system.client(0).request(SUBMIT, { index: 504 });
    await events.waitFor((e) => e.valueSubmitted?.index === 504);
    // Sent once more in case of a duplicate: nothing further may have arrived for 502/503.
    await system.client(0).request(SUBMIT, { index: 505 });
    await events.waitFor((e) => e.valueSubmitted?.index === 505);

    expect(events.events.map((e) => e.valueSubmitted?.index)).toEqual([502, 503, 504, 505]);
    expect(events.events.slice(0, 2).map((e) => e.valueSubmitted?.id)).toEqual([newest[1]!.id, newest[0]!.id]);
  });

  it('neither misses nor repeats a submission stored while a subscription with `after` starts', async () => {
    await system.client(0).request(SUBMIT, { index: 699 });
    const [start] = await latestSubmissions(1);
    let submitting = true;
    const submitter = (async () => {
      for (let index = 700; submitting && index < 1_000; index++) await system.client(0).request(SUBMIT, { index });
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const events = await system.subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, 1, { after: start!.id });
      await new Promise((resolve) => setTimeout(resolve, 200));
      submitting = false;
      await submitter;
      const stored = await latestSubmissions(100);
      await events.waitFor((e) => e.valueSubmitted?.id === stored[0]!.id);
      const sinceStart = stored
        .slice(
          0,
          stored.findIndex((s) => s.id === start!.id),
        )
        .reverse();
      expect(events.events.map((e) => e.valueSubmitted?.index)).toEqual(sinceStart.map((s) => s.index));
    } finally {
      submitting = false;
      await submitter;
    }
  });

  it('replays up to 100, oldest first, and answers CURSOR_EXPIRED when more were stored since', async () => {
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => system.client(0).request(SUBMIT, { index: 600 + batch * 10 + i })),
      );
    }
    const newest = await latestSubmissions(100);
    const { data } = await system
      .client(0)
      .request<{ values: { id: string }[] }>('query ($before: ID) { values(limit: 1, before: $before) { id } }', {
        before: newest[99]!.id,
      });
    const previous = data!.values[0]!.id;

    // 100 stored after the 101st newest: all of them, oldest first.
    const events = await system.subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, 0, { after: previous });
    await events.waitFor((e) => e.valueSubmitted?.id === newest[0]!.id);
    expect(events.events.map((e) => e.valueSubmitted?.id)).toEqual(newest.map((s) => s.id).reverse());

    // 101 and more: no silent gap, a typed signal to reload.
    const expired = await system.client().subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, { after: '0' });
    const refused = await expired.waitFor((e) => e.errors !== undefined || e.error !== undefined, 5_000);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  });

  it('refuses an `after` that is not a submission id', async () => {
    for (const after of ['abc', '-1', '1.5', '99999999999999999999']) {
      const events = await system.client().subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, { after });
      const refused = await events.waitFor((e) => e.errors !== undefined || e.error !== undefined, 5_000);
      expect(refused.errors?.[0]?.extensions?.code, after).toBe('BAD_USER_INPUT');
    }
  });

  it('stops listening on Redis when a client with `after` disconnects', async () => {
    const channel = `${system.prefix}valueSubmitted`;
    const listeners = async () => ((await system.inspect().call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
    // A gateway of its own: the others keep the subscriptions of the tests above.
    const gateway = await system.addGateway();
    const others = await listeners();
    const client = new GraphQLClient(`127.0.0.1:${gateway.port}`);
    const [second] = await latestSubmissions(2).then((newest) => newest.slice(1));
    const events = await client.subscribe<ReplayedEvent>(VALUE_SUBMITTED_AFTER, { after: second!.id });
    await events.waitFor((e) => e.valueSubmitted !== undefined);
    expect(await listeners()).toBe(others + 1);
    await client.close();
    await waitUntil('the gateway to unsubscribe', async () => (await listeners()) === others);
  });
});

const VALUE_SUBMITTED_AFTER = /* GraphQL */ `
  subscription ($after: ID) {
    valueSubmitted(after: $after) {
      id
      index
    }
  }
`;

interface ReplayedEvent {
  valueSubmitted?: { id: string; index: number };
  errors?: { message: string; extensions?: { code?: string } }[];
  error?: unknown;
}

async function latestSubmissions(limit: number) {
  const { data } = await system.client(0).request<{ values: { id: string; index: number }[] }>(VALUES, { limit });
  return data?.values ?? [];
}
