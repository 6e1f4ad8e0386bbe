import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BATCH, fibonacci, LARGEST_FIRST_EVERY, redisKeys } from '@fibgraph/core';
import { waitUntil, withClient } from '@fibgraph/devstack';
import { rawRequest, type GraphQLAnswer } from './raw.js';
import { CALCULATION, SUBMIT, VALUE_CALCULATED, type CalculationData } from './operations.js';
import { printed, TestSystem } from './system.js';

/** Submits `index` as client `address` (the proxy in front says so). */
async function submitAs(system: TestSystem, address: string, index: number): Promise<GraphQLAnswer> {
  const { body } = await rawRequest(`http://127.0.0.1:${system.gateways[0]!.port}/graphql`, {
    body: { query: SUBMIT, variables: { index } },
    headers: { 'x-forwarded-for': address },
  });
  return body as GraphQLAnswer;
}

const storedCount = (system: TestSystem) =>
  withClient(system.databaseUrl, async (db) =>
    Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count),
  );

async function usedMemory(system: TestSystem): Promise<number> {
  const info = await system.inspect().info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

describe('a memory budget for values', () => {
  let system: TestSystem;
  // 150 values of about 14 kB each (F(150,000) has 31,348 digits, deflated to 0.44 of that): 2.0 MB
  // against a budget of 0.25 MB.
  const indexes = Array.from({ length: 150 }, (_, i) => 150_000 + i);
  const budget = 0.25 * 1024 * 1024;

  beforeAll(async () => {
    system = await TestSystem.start({ gateways: 0, workers: 0 });
    await system.addGateway({ VALUE_CACHE_MB: '0.25' });
    await system.addWorker({ VALUE_CACHE_MB: '0.25' });
  });
  afterAll(() => system?.stop());

  it('keeps Redis within the budget whatever is submitted, and brings every released value back exact', async () => {
    const before = await usedMemory(system);
    for (const index of indexes) await system.client().request(SUBMIT, { index });
    const keys = redisKeys(system.prefix);
    const redis = system.inspect();
    const statuses = async () => {
      const pipeline = redis.pipeline();
      for (const index of indexes) pipeline.hget(keys.calculation(index), 'status');
      return ((await pipeline.exec()) ?? []).map(([, status]) => status);
    };
    await waitUntil('every value computed', async () => (await statuses()).every((s) => s === 'DONE'), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const heldBytes = Number(await redis.get(keys.valueBytes));
    const largest = 20 * 1024;
    expect(heldBytes).toBeLessThanOrEqual(budget + largest);
    // Redis as a whole: the budget plus what every result keeps besides its value (a few hundred
    // bytes each: state, digits, preview, list entry) and allocator slack; 2.2 MB without a budget.
    expect((await usedMemory(system)) - before).toBeLessThan(budget + 1024 * 1024);
    const held = await Promise.all(indexes.map((index) => redis.exists(keys.value(index))));
    expect(held.filter((n) => n === 0).length).toBeGreaterThan(100);

    // Asked for again, each comes back, exact: computed again without the client asking for it.
    for (const index of indexes) {
      const { data, errors } = await system.client().request<{ calculation: CalculationData }>(CALCULATION, { index });
      expect(errors).toBeUndefined();
      expect(data?.calculation.value === fibonacci(index).toString(), `F(${index}) exact`).toBe(true);
    }
    const [evictions, recomputations] = await redis.hmget(keys.stats, 'evictions', 'recomputations');
    expect(Number(evictions)).toBeGreaterThan(100);
    expect(Number(recomputations)).toBeGreaterThan(100);
    expect(Number(await redis.get(keys.valueBytes))).toBeLessThanOrEqual(budget + largest);
  });
});

describe('a fair queue', () => {
  let system: TestSystem;
  beforeEach(async () => {
    system = await TestSystem.start({ gateways: 1, workers: 0 });
  });
  afterEach(() => system?.stop());

  it('computes a small index submitted behind a backlog of huge ones from other clients first', async () => {
    for (let client = 1; client <= 4; client++) {
      for (const offset of [0, 1]) await submitAs(system, `10.3.0.${client}`, 990_000 + client * 10 + offset);
    }
    await submitAs(system, '10.3.1.1', 77);
    const events = await system.subscribe<{ valueCalculated: CalculationData }>(VALUE_CALCULATED);
    await system.addWorker();
    await events.waitFor(() => events.events.length >= 2, 30_000);
    expect(events.events[0]?.valueCalculated.index).toBe(77);
  });

  it('never starves the huge ones: a few reads of small jobs at most go before one from the largest lane', async () => {
    await submitAs(system, '10.3.2.1', 999_999);
    // More small jobs than may go first (LARGEST_FIRST_EVERY - 1 reads of BATCH.small each).
    const small = LARGEST_FIRST_EVERY * BATCH.small;
    for (let i = 0; i < small; i++) await submitAs(system, `10.3.2.${i + 2}`, 100 + i);
    const events = await system.subscribe<{ valueCalculated: CalculationData }>(VALUE_CALCULATED);
    await system.addWorker();
    await events.waitFor(() => events.events.length >= small + 1, 30_000);
    const position = events.events.findIndex((e) => e.valueCalculated.index === 999_999);
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual((LARGEST_FIRST_EVERY - 1) * BATCH.small);
  });
});

describe('caps on outstanding jobs', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({ gateways: 0, workers: 0 });
    await system.addGateway({ MAX_JOBS_PER_CLIENT: '3', MAX_BACKLOG: '6' });
  });
  afterAll(() => system?.stop());

  it('refuses a client with too many jobs waiting (RATE_LIMITED, retryAfter), then the full queue (BUSY), storing nothing', async () => {
    const before = await storedCount(system);
    const mine = await Promise.all([1, 2, 3, 4, 5].map((i) => submitAs(system, '10.4.0.1', 1_000 + i)));
    const codes = mine.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(2);
    for (const refusal of mine.filter((a) => a.errors)) {
      expect(refusal.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
      expect(refusal.data ?? null).toBeNull();
    }
    // Asking again for an index already waiting adds no job: it is never refused.
    const waiting = mine.findIndex((a) => !a.errors);
    expect((await submitAs(system, '10.4.0.1', 1_001 + waiting)).errors).toBeUndefined();

    // 3 more from others fill the backlog of 6; the next is BUSY, whoever sends it.
    for (const [i, address] of ['10.4.0.2', '10.4.0.3', '10.4.0.4'].entries()) {
      expect((await submitAs(system, address, 2_000 + i)).errors).toBeUndefined();
    }
    const busy = await submitAs(system, '10.4.0.5', 3_000);
    expect(busy.errors?.[0]?.extensions?.code).toBe('BUSY');
    expect(await storedCount(system)).toBe(before + 3 + 1 + 3);
    expect(await system.inspect().exists(`${system.prefix}result:3000`)).toBe(0);
  });
});

describe('nothing stuck for ever', () => {
  let system: TestSystem;
  beforeAll(async () => {
    // A reconciler that has passed once and waits: the submission below heals on its own.
    system = await TestSystem.start({ gateways: 0, workers: 0 });
    await system.addGateway({ RECONCILE_INTERVAL_MS: '600000' });
  });
  afterAll(() => system?.stop());

  it('queues a PENDING result whose job vanished again: on the next submission, and by the reconciler', async () => {
    const redis = system.inspect();
    const jobs = `${system.prefix}jobs`;
    await system.client().request(SUBMIT, { index: 61 });
    const vanish = async () => {
      const entries = (await redis.xrange(jobs, '-', '+')) as [string, string[]][];
      for (const [id] of entries) await redis.xdel(jobs, id);
      expect(await redis.xlen(jobs)).toBe(0);
    };
    await vanish();
    expect(await redis.hget(`${system.prefix}result:61`, 'status')).toBe('PENDING');

    // A submission of it queues it again.
    const added = await system.jobsEverEnqueued();
    await system.client().request(SUBMIT, { index: 61 });
    expect(await system.jobsEverEnqueued()).toBe(added + 1);
    expect(await redis.xlen(jobs)).toBe(1);

    // Without one, the reconciler does (a gateway reconciling every 300 ms).
    await vanish();
    await system.addGateway();
    await waitUntil('the reconciler to queue it again', async () => (await redis.xlen(jobs)) === 1, {
      timeoutMs: 15_000,
    });
    await system.addWorker();
    await waitUntil('F(61) computed', async () => (await redis.hget(`${system.prefix}result:61`, 'status')) === 'DONE');
  });

  it('leaves another gateway’s reconciliation lock alone', async () => {
    const redis = system.inspect();
    const lock = `${system.prefix}reconcile:lock`;
    // Taken only while free, as another gateway would: a pass of this gateway's reconciler still
    // running would otherwise go on under the overwritten lock and queue F(62) itself.
    await waitUntil(
      'the lock free to take',
      async () => (await redis.set(lock, 'another-gateway', 'PX', 3_000, 'NX')) === 'OK',
      { intervalMs: 10 },
    );
    // Stored, but never queued (the enqueue of a gateway that died between its two writes).
    await withClient(system.databaseUrl, (db) => db.query('INSERT INTO submissions ("index") VALUES (62)'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await redis.get(lock)).toBe('another-gateway');
    expect(await redis.exists(`${system.prefix}result:62`)).toBe(0);
    // Once the other's lock expires, this gateway reconciles.
    await waitUntil('F(62) queued', async () => (await redis.exists(`${system.prefix}result:62`)) === 1, {
      timeoutMs: 15_000,
    });
  });
});

describe('retention', () => {
  it('deletes submissions older than SUBMISSION_RETENTION_DAYS, and only those', async () => {
    const system = await TestSystem.start({ gateways: 0, workers: 0 });
    try {
      await withClient(system.databaseUrl, (db) =>
        db.query(
          `INSERT INTO submissions ("index", submitted_at) VALUES (71, now() - interval '3 days'), (72, now() - interval '1 hour')`,
        ),
      );
      await system.addGateway({ SUBMISSION_RETENTION_DAYS: '2' });
      await waitUntil('the old one deleted', async () =>
        withClient(
          system.databaseUrl,
          async (db) => (await db.query('SELECT 1 FROM submissions WHERE "index" = 71')).rowCount === 0,
        ),
      );
      const kept = await withClient(system.databaseUrl, (db) => db.query('SELECT "index" FROM submissions'));
      expect(kept.rows.map((row: { index: number }) => row.index)).toEqual([72]);
    } finally {
      await system.stop();
    }
  });
});

describe('a Redis that may evict any key', () => {
  it('is reported at start, loudly', async () => {
    const system = await TestSystem.start({ gateways: 0, workers: 0 });
    try {
      await system.inspect().config('SET', 'maxmemory-policy', 'allkeys-lru');
      const gateway = await system.addGateway();
      await waitUntil('the warning', async () => printed(gateway.child, 'Set maxmemory-policy to noeviction') > 0);
    } finally {
      await system.stop();
    }
  });
});
