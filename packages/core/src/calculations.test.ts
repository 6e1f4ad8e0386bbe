import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '@fibgraph/devstack';
import { JobStream, type Delivery } from './job-stream.js';
import { redisKeys } from './keys.js';
import { LANES } from './lanes.js';
import { CalculationRecords, type Admission } from './calculations.js';
import { decodeValue, encodeValue } from './value-codec.js';

// The scripts of calculations.ts (ENQUEUE, ADMIT, RELEASE, COMMIT, READ_VALUE, LISTED_AFTER), one contract each,
// on a private redis-server.
let server: RedisServer;
let redis: Redis;
let blocking: Redis;
const keys = redisKeys('t:');
let records: CalculationRecords;
let jobs: JobStream;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  blocking = new Redis(server.url);
  records = new CalculationRecords(redis, keys);
  jobs = new JobStream(redis, blocking, keys, 'test-worker', 60_000);
});

afterAll(async () => {
  redis?.disconnect();
  blocking?.disconnect();
  await server?.stop();
});

beforeEach(async () => {
  await redis.flushall();
  await jobs.ensureGroup();
});

const limits = (perClient: number, backlog = 1000, windowMs = 60_000): Admission => ({ perClient, backlog, windowMs });

/** Takes the next job as a worker does; fails the test when there is none. */
async function nextJob(): Promise<Delivery> {
  const delivery = await jobs.readNew(10);
  if (!delivery) throw new Error('no job in the lanes');
  return delivery;
}

/** A worker computing `index` with `digits` as its value. */
async function computeNext(digits: string, budgetBytes = 100_000_000) {
  const job = await nextJob();
  const outcome = { digits: digits.length, preview: digits.slice(0, 20), encoded: encodeValue(digits), computeMs: 1 };
  return records.finish(job.job!.index, job, outcome, budgetBytes);
}

const jobsQueued = async () =>
  (await Promise.all(LANES.map((lane) => redis.xlen(keys.jobs(lane))))).reduce((a, b) => a + b);

function randomDigits(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += Math.floor(Math.random() * 10);
  return text;
}

describe('enqueue (ENQUEUE)', () => {
  it('adds one job for a new index, marks it PENDING and lists it at the submission time', async () => {
    expect(await records.enqueue(50_000, { mode: 'submit', listScore: 1_000 })).toEqual({
      status: 'PENDING',
      enqueued: true,
    });
    expect((await records.summary(50_000))?.status).toBe('PENDING');
    expect(await redis.xlen(keys.jobs('medium'))).toBe(1);
    expect(await redis.zscore(keys.calculations, 50_000)).toBe('1000');
  });

  it('adds no second job while the first is in its lane, but moves the index up the list', async () => {
    await records.enqueue(7, { mode: 'submit', listScore: 1_000 });
    expect(await records.enqueue(7, { mode: 'submit', listScore: 2_000 })).toEqual({
      status: 'PENDING',
      enqueued: false,
    });
    expect(await jobsQueued()).toBe(1);
    expect(await redis.zscore(keys.calculations, 7)).toBe('2000');
  });

  it('adds no job for a DONE index whose value is held; a recompute adds one once the value was released', async () => {
    await records.enqueue(7, { mode: 'submit', listScore: 1 });
    await computeNext('13');
    expect(await records.enqueue(7, { mode: 'submit', listScore: 2 })).toEqual({ status: 'DONE', enqueued: false });
    expect(await records.enqueue(7, { mode: 'recompute' })).toEqual({ status: 'DONE', enqueued: false });

    await redis.del(keys.value(7));
    expect(await records.enqueue(7, { mode: 'recompute' })).toEqual({ status: 'PENDING', enqueued: true });
    expect((await records.stats()).recomputations).toBe(1);
  });

  it('gives a PENDING index whose job vanished from its lane a new job', async () => {
    await records.enqueue(7, { mode: 'submit', listScore: 1 });
    const lost = await nextJob();
    await jobs.ack(lost);
    expect(await jobsQueued()).toBe(0);

    expect(await records.enqueue(7, { mode: 'heal' })).toEqual({ status: 'PENDING', enqueued: true });
    expect((await nextJob()).job?.index).toBe(7);
  });
});

describe('admit (ADMIT)', () => {
  it('reserves a place for each new index up to the per-client cap, then answers RATE_LIMITED', async () => {
    expect(await records.admit(1, 'alice', limits(2))).toBe('RESERVED');
    expect(await records.admit(2, 'alice', limits(2))).toBe('RESERVED');
    expect(await records.admit(3, 'alice', limits(2))).toBe('RATE_LIMITED');
    expect(await records.admit(3, 'bob', limits(2))).toBe('RESERVED');
  });

  it('answers OK, taking no place, for an index that needs no job (queued already, or done)', async () => {
    await records.enqueue(1, { mode: 'submit', listScore: 1 });
    await records.enqueue(2, { mode: 'submit', listScore: 1 });
    await computeNext('1');
    expect(await records.admit(1, 'alice', limits(1))).toBe('OK');
    expect(await records.admit(2, 'alice', limits(1))).toBe('OK');
    expect(await records.admit(3, 'alice', limits(1))).toBe('RESERVED');
  });

  it('answers BUSY when all lanes together hold the backlog', async () => {
    await records.enqueue(1, { mode: 'submit', listScore: 1 });
    await records.enqueue(300_000, { mode: 'submit', listScore: 1 });
    expect(await records.admit(2, 'alice', limits(10, 2))).toBe('BUSY');
    expect(await records.admit(2, 'alice', limits(10, 3))).toBe('RESERVED');
  });

  it("frees a client's place when its job is done", async () => {
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    await records.enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true });
    expect(await records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
    await computeNext('1');
    expect(await records.admit(2, 'alice', limits(1))).toBe('RESERVED');
  });

  it('frees a place given back for a submission that was not stored', async () => {
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    await records.release(1, 'alice');
    expect(await records.admit(2, 'alice', limits(1))).toBe('RESERVED');
  });

  it('forgets places older than the window', async () => {
    expect(await records.admit(1, 'alice', limits(1, 1000, 50))).toBe('RESERVED');
    expect(await records.admit(2, 'alice', limits(1, 1000, 50))).toBe('RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await records.admit(2, 'alice', limits(1, 1000, 50))).toBe('RESERVED');
  });

  it('keeps the cap when a client submits one index twice at once (the duplicate gives no place back)', async () => {
    // Both admissions come before either enqueue: both hold the one place of index 1.
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    const submitted = await Promise.all([
      records.enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true }),
      records.enqueue(1, { mode: 'submit', listScore: 2, client: 'alice', reserved: true }),
    ]);
    expect(submitted.filter((s) => s.enqueued)).toHaveLength(1);

    expect(await records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
  });

  it('keeps the cap when a duplicate submission is refused after its job was queued (release)', async () => {
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    expect(await records.admit(1, 'alice', limits(1))).toBe('RESERVED');
    await records.enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true });
    // The duplicate was not stored (rate limit, Postgres away): its place is given back.
    await records.release(1, 'alice');

    expect(await records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
  });
});

describe('finish (COMMIT)', () => {
  it('stores a DONE result with its value, acknowledges its job and announces it with its feed cursor', async () => {
    const listener = new Redis(server.url);
    try {
      const messages: string[] = [];
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      await listener.subscribe(keys.valueCalculated);
      await records.enqueue(10, { mode: 'submit', listScore: 1 });

      const { event } = await computeNext('55');

      expect(await records.summary(10)).toMatchObject({ index: 10, status: 'DONE', digits: 2, preview: '55' });
      expect(decodeValue((await records.readValue(10))!)).toBe('55');
      expect(await jobsQueued()).toBe(0);
      expect(await redis.xpending(keys.jobs('small'), 'workers')).toEqual([0, null, null, null]);
      await expect.poll(() => messages.length).toBe(1);
      const announced = JSON.parse(messages[0]!) as { cursor: string; index: number };
      expect(announced).toMatchObject({ index: 10, status: 'DONE', digits: 2, updatedAt: event.updatedAt });
      expect(announced.cursor).toMatch(/^\d+:1$/);
    } finally {
      listener.disconnect();
    }
  });

  it('stores a FAILED result with its error and no value', async () => {
    await records.enqueue(10, { mode: 'submit', listScore: 1 });
    const job = await nextJob();
    await records.finish(10, job, { error: 'out of memory' }, 1_000_000);

    expect(await records.summary(10)).toMatchObject({ status: 'FAILED', digits: null, error: 'out of memory' });
    expect(await records.readValue(10)).toBeNull();
    expect(await jobsQueued()).toBe(0);
  });

  it('keeps the values within the budget, releasing the least recently read first', async () => {
    await records.enqueue(1, { mode: 'submit', listScore: 1 });
    await computeNext(randomDigits(4000));
    const oneValue = (await records.stats()).valueBytes;
    const budget = Math.floor(oneValue * 2.5);
    for (const index of [2, 3]) await records.enqueue(index, { mode: 'submit', listScore: 1 });
    await computeNext(randomDigits(4000), budget);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await records.readValue(1); // 1 is now more recently used than 2

    const { released } = await computeNext(randomDigits(4000), budget);

    expect(released).toBe(1);
    expect(await records.readValue(2)).toBeNull();
    expect(await records.readValue(1)).not.toBeNull();
    expect(await records.readValue(3)).not.toBeNull();
    expect(await records.stats()).toMatchObject({ evictions: 1, valuesHeld: 2 });
    expect((await records.stats()).valueBytes).toBeLessThanOrEqual(budget);
    // Released values stay DONE: they are computed again when asked for.
    expect((await records.summary(2))?.status).toBe('DONE');
  });

  it('keeps a value larger than the whole budget, releasing every other one', async () => {
    for (const index of [1, 2]) await records.enqueue(index, { mode: 'submit', listScore: 1 });
    await computeNext(randomDigits(100));
    const { released } = await computeNext(randomDigits(4000), 10);

    expect(released).toBe(1);
    expect(await records.readValue(1)).toBeNull();
    expect(await records.readValue(2)).not.toBeNull();
  });
});

describe('listedAfter (LISTED_AFTER)', () => {
  it('lists the indexes after a listed one, most recently submitted first; null for one not listed', async () => {
    for (const [index, at] of [
      [1, 100],
      [2, 300],
      [3, 200],
      [4, 400],
    ] as const) {
      await records.enqueue(index, { mode: 'submit', listScore: at });
    }
    expect(await records.listedAfter(4, 2)).toEqual(['2', '3']);
    expect(await records.listedAfter(1, 5)).toEqual([]);
    expect(await records.listedAfter(99, 5)).toBeNull();
  });
});
