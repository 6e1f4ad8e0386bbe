import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, withClient } from '@fibgraph/devstack';
import { FaultyProxy } from './faulty-proxy.js';
import { rawRequest, type GraphQLAnswer } from './raw.js';
import { SUBMIT } from './operations.js';
import { TestSystem } from './system.js';

/**
 * Postgres and Redis, real, behind proxies that hang or refuse like a failing server or network.
 * The gateway answers SERVICE_UNAVAILABLE naming what is away, in bounded time (its dependency
 * timeout is 1,500 ms; the bound asserted here is loose, the figure is the timeout's), writes
 * nothing half, and comes back by itself when the dependency does.
 */
let system: TestSystem;
let postgres: FaultyProxy;
let redis: FaultyProxy;
let port: number;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 0, workers: 0 });
  const db = new URL(system.databaseUrl);
  postgres = await FaultyProxy.start({ host: db.hostname, port: Number(db.port || 5432) });
  redis = await FaultyProxy.start({ host: '127.0.0.1', port: system.redis.port });
  const gateway = await system.addGateway({
    NODE_ENV: 'production',
    DATABASE_URL: postgres.in(system.databaseUrl),
    REDIS_URL: redis.in(system.redis.url),
  });
  port = gateway.port!;
});
afterAll(async () => {
  await system?.stop();
  await postgres?.stop();
  await redis?.stop();
});

async function timed(query: string, variables?: Record<string, unknown>) {
  const started = Date.now();
  const { body } = await rawRequest(`http://127.0.0.1:${port}/graphql`, { body: { query, variables } });
  return { answer: body as GraphQLAnswer, ms: Date.now() - started };
}

const unavailable = (answer: GraphQLAnswer) =>
  answer.errors?.map((e) => [e.extensions?.code, e.extensions?.dependency]);

const rowsOf = (index: number) =>
  withClient(system.databaseUrl, async (db) =>
    Number((await db.query('SELECT count(*) FROM submissions WHERE index = $1', [index])).rows[0].count),
  );

async function recovers(index: number): Promise<void> {
  await waitUntil(
    'the gateway to serve again',
    async () => !(await timed(SUBMIT, { index })).answer.errors && (await rowsOf(index)) === 1,
    { timeoutMs: 30_000, intervalMs: 300 },
  );
}

describe('Postgres', () => {
  for (const fault of ['hang', 'refuse'] as const) {
    it(`${fault === 'hang' ? 'hung' : 'down'}: SERVICE_UNAVAILABLE for what needs it, nothing stored, then back by itself`, async () => {
      const index = fault === 'hang' ? 11 : 21;
      postgres[fault]();
      try {
        const submit = await timed(SUBMIT, { index });
        expect(unavailable(submit.answer)).toEqual([['SERVICE_UNAVAILABLE', 'Postgres']]);
        expect(submit.answer.data ?? null).toBeNull();
        expect(submit.ms).toBeLessThan(5_000);
        const values = await timed('{ values { index } }');
        expect(unavailable(values.answer)).toEqual([['SERVICE_UNAVAILABLE', 'Postgres']]);
        expect(values.ms).toBeLessThan(5_000);
        // What needs Redis only still works.
        expect((await timed('{ calculations { index } }')).answer.errors).toBeUndefined();
      } finally {
        postgres.heal();
      }
      await recovers(index + 1);
      expect(await rowsOf(index)).toBe(0);
      expect(await system.inspect().exists(`${system.prefix}result:${index}`)).toBe(0);
    });
  }
});

describe('Redis', () => {
  for (const fault of ['hang', 'refuse'] as const) {
    it(`${fault === 'hang' ? 'hung' : 'down'}: SERVICE_UNAVAILABLE for reading results; a submission is kept and computed later`, async () => {
      const index = fault === 'hang' ? 31 : 41;
      redis[fault]();
      try {
        const read = await timed('{ calculations { index } }');
        expect(unavailable(read.answer)).toEqual([['SERVICE_UNAVAILABLE', 'Redis']]);
        expect(read.ms).toBeLessThan(5_000);
        // Accepted: Postgres has it, and the reconciler enqueues it once Redis answers.
        const submit = await timed(SUBMIT, { index });
        expect(submit.answer.errors).toBeUndefined();
        expect(submit.answer.data).toMatchObject({ submitValue: { index, status: 'PENDING' } });
        expect(submit.ms).toBeLessThan(5_000);
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(ready.status).toBe(503);
      } finally {
        redis.heal();
      }
      expect(await rowsOf(index)).toBe(1);
      await waitUntil(
        'the kept submission enqueued',
        async () => (await system.inspect().hget(`${system.prefix}result:${index}`, 'status')) === 'PENDING',
        { timeoutMs: 30_000 },
      );
      await recovers(index + 1);
    });
  }
});
