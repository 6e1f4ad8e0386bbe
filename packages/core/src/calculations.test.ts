import { beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from './job-stream.js';
import { LANES } from './lanes.js';
import type { Admission, CalculationRecords } from './calculations.js';
import { REDIS_KINDS, redisRig } from './test/redis-rig.js';
import { decodeValue, encodeValue } from './value-codec.js';

// The scripts of calculations.ts (ENQUEUE, ADMIT, RELEASE, COMMIT, READ_VALUE, LISTED_AFTER), one contract each,
// each on a private redis-server and on a private Redis Cluster of three masters (keys under one hash tag).
describe.each(REDIS_KINDS)('on a %s', (kind) => {
  const rig = redisRig(kind);

  /** Enqueues as a submission does (listed at time 1 unless `opts` says otherwise). */
  const enqueue = (
    index: number,
    opts: Parameters<CalculationRecords['enqueue']>[1] = { mode: 'submit', listScore: 1 },
  ) => rig.records.enqueue(index, opts);

  const limits = (perClient: number, backlog = 1000, windowMs = 60_000): Admission => ({
    perClient,
    backlog,
    windowMs,
  });

  /** Jobs read (a read takes up to a lane's BATCH) and not yet handed out by nextJob. */
  let taken: Delivery[] = [];
  beforeEach(() => {
    taken = [];
  });

  /** Takes the next job as a worker does; fails the test when there is none. */
  async function nextJob(): Promise<Delivery> {
    if (taken.length === 0) taken = await rig.jobs.readNew(10);
    const delivery = taken.shift();
    if (!delivery) throw new Error('no job in the lanes');
    return delivery;
  }

  /** A worker computing `index` with `digits` as its value. */
  async function computeNext(digits: string, budgetBytes = 100_000_000) {
    const job = await nextJob();
    const outcome = { digits: digits.length, preview: digits.slice(0, 20), encoded: encodeValue(digits), computeMs: 1 };
    return rig.records.finish(job.job!.index, job, outcome, budgetBytes);
  }

  const jobsQueued = async () =>
    (await Promise.all(LANES.map((lane) => rig.redis.xlen(rig.keys.jobs(lane))))).reduce((a, b) => a + b);

  function randomDigits(n: number): string {
    let text = '';
    for (let i = 0; i < n; i++) text += Math.floor(Math.random() * 10);
    return text;
  }

  describe('enqueue (ENQUEUE)', () => {
    it('adds one job for a new index, marks it PENDING and lists it at the submission time', async () => {
      expect(await rig.records.enqueue(50_000, { mode: 'submit', listScore: 1_000 })).toEqual({
        status: 'PENDING',
        enqueued: true,
      });
      expect((await rig.records.summary(50_000))?.status).toBe('PENDING');
      expect(await rig.redis.xlen(rig.keys.jobs('medium'))).toBe(1);
      expect(await rig.redis.zscore(rig.keys.calculations, 50_000)).toBe('1000');
    });

    it('answers with the summary as the enqueue left it, PENDING for a new index and DONE with its digits for a computed one', async () => {
      const first = await rig.records.enqueueAndSummarise(9, { mode: 'submit', listScore: 1_000, now: 1_234 });
      expect(first).toMatchObject({ status: 'PENDING', enqueued: true });
      expect(first.summary).toEqual({ ...(await rig.records.summary(9)), status: 'PENDING', updatedAt: 1_234 });
      await rig.redis.hset(rig.keys.calculation(9), 'status', 'DONE', 'digits', '2', 'preview', '34');
      await rig.redis.set(rig.keys.value(9), 'x');
      const again = await rig.records.enqueueAndSummarise(9, { mode: 'submit', listScore: 2_000 });
      expect(again).toMatchObject({ status: 'DONE', enqueued: false });
      expect(again.summary).toMatchObject({ index: 9, status: 'DONE', digits: 2, preview: '34' });
    });

    it('adds no second job while the first is in its lane, but moves the index up the list', async () => {
      await enqueue(7, { mode: 'submit', listScore: 1_000 });
      expect(await enqueue(7, { mode: 'submit', listScore: 2_000 })).toEqual({
        status: 'PENDING',
        enqueued: false,
      });
      expect(await jobsQueued()).toBe(1);
      expect(await rig.redis.zscore(rig.keys.calculations, 7)).toBe('2000');
    });

    it('adds no job for a DONE index whose value is held; a recompute adds one once the value was released', async () => {
      await enqueue(7);
      await computeNext('13');
      expect(await enqueue(7, { mode: 'submit', listScore: 2 })).toEqual({ status: 'DONE', enqueued: false });
      expect(await enqueue(7, { mode: 'recompute' })).toEqual({ status: 'DONE', enqueued: false });

      await rig.redis.del(rig.keys.value(7));
      expect(await enqueue(7, { mode: 'recompute' })).toEqual({ status: 'PENDING', enqueued: true });
      expect((await rig.records.stats()).recomputations).toBe(1);
    });

    it('gives a PENDING index whose job vanished from its lane a new job', async () => {
      await enqueue(7);
      const lost = await nextJob();
      await rig.jobs.ack(lost);
      expect(await jobsQueued()).toBe(0);

      expect(await enqueue(7, { mode: 'heal' })).toEqual({ status: 'PENDING', enqueued: true });
      expect((await nextJob()).job?.index).toBe(7);
    });
  });

  /** `client` asks for each index in turn: ADMIT's verdicts. */
  async function admitEach(client: string, admission: Admission, ...indexes: number[]): Promise<string[]> {
    const verdicts: string[] = [];
    for (const index of indexes) verdicts.push(await rig.records.admit(index, client, admission));
    return verdicts;
  }

  describe('admit (ADMIT)', () => {
    it('reserves a place for each new index up to the per-client cap, then answers RATE_LIMITED', async () => {
      expect(await admitEach('alice', limits(2), 1, 2, 3)).toEqual(['RESERVED', 'RESERVED', 'RATE_LIMITED']);
      expect(await admitEach('bob', limits(2), 3)).toEqual(['RESERVED']);
    });

    it('answers OK, taking no place, for an index that needs no job (queued already, or done)', async () => {
      await enqueue(1);
      await enqueue(2);
      await computeNext('1');
      expect(await admitEach('alice', limits(1), 1, 2, 3)).toEqual(['OK', 'OK', 'RESERVED']);
    });

    it('answers BUSY when all lanes together hold the backlog', async () => {
      await enqueue(1);
      await enqueue(300_000);
      expect(await rig.records.admit(2, 'alice', limits(10, 2))).toBe('BUSY');
      expect(await rig.records.admit(2, 'alice', limits(10, 3))).toBe('RESERVED');
    });

    it("frees a client's place when its job is done", async () => {
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      await enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true });
      expect(await rig.records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
      await computeNext('1');
      expect(await rig.records.admit(2, 'alice', limits(1))).toBe('RESERVED');
    });

    it('frees a place given back for a submission that was not stored', async () => {
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      await rig.records.release(1, 'alice');
      expect(await rig.records.admit(2, 'alice', limits(1))).toBe('RESERVED');
    });

    it('forgets places older than the window', async () => {
      expect(await rig.records.admit(1, 'alice', limits(1, 1000, 50))).toBe('RESERVED');
      expect(await rig.records.admit(2, 'alice', limits(1, 1000, 50))).toBe('RATE_LIMITED');
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await rig.records.admit(2, 'alice', limits(1, 1000, 50))).toBe('RESERVED');
    });

    it('keeps the cap when a client submits one index twice at once (the duplicate gives no place back)', async () => {
      // Both admissions come before either enqueue: both hold the one place of index 1.
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      const submitted = await Promise.all([
        enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true }),
        enqueue(1, { mode: 'submit', listScore: 2, client: 'alice', reserved: true }),
      ]);
      expect(submitted.filter((s) => s.enqueued)).toHaveLength(1);

      expect(await rig.records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
    });

    it('keeps the cap when a duplicate submission is refused after its job was queued (release)', async () => {
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      expect(await rig.records.admit(1, 'alice', limits(1))).toBe('RESERVED');
      await enqueue(1, { mode: 'submit', listScore: 1, client: 'alice', reserved: true });
      // The duplicate was not stored (rate limit, Postgres away): its place is given back.
      await rig.records.release(1, 'alice');

      expect(await rig.records.admit(2, 'alice', limits(1))).toBe('RATE_LIMITED');
    });
  });

  describe('finish (COMMIT)', () => {
    it('stores a DONE result with its value, acknowledges its job and announces it with its feed cursor', async () => {
      const messages = await rig.announcements();
      await enqueue(10);

      const { event } = await computeNext('55');

      expect(await rig.records.summary(10)).toMatchObject({ index: 10, status: 'DONE', digits: 2, preview: '55' });
      expect(decodeValue((await rig.records.readValue(10))!)).toBe('55');
      expect(await jobsQueued()).toBe(0);
      expect(await rig.redis.xpending(rig.keys.jobs('small'), 'workers')).toEqual([0, null, null, null]);
      await expect.poll(() => messages.length).toBe(1);
      const announced = JSON.parse(messages[0]!) as { cursor: string; index: number };
      expect(announced).toMatchObject({ index: 10, status: 'DONE', digits: 2, updatedAt: event.updatedAt });
      expect(announced.cursor).toMatch(/^\d+:1$/);
    });

    it('stores a FAILED result with its error and no value', async () => {
      await enqueue(10);
      const job = await nextJob();
      await rig.records.finish(10, job, { error: 'out of memory' }, 1_000_000);

      expect(await rig.records.summary(10)).toMatchObject({ status: 'FAILED', digits: null, error: 'out of memory' });
      expect(await rig.records.readValue(10)).toBeNull();
      expect(await jobsQueued()).toBe(0);
    });

    it('keeps the values within the budget, releasing the least recently read first', async () => {
      await enqueue(1);
      await computeNext(randomDigits(4000));
      const oneValue = (await rig.records.stats()).valueBytes;
      const budget = Math.floor(oneValue * 2.5);
      for (const index of [2, 3]) await enqueue(index);
      await computeNext(randomDigits(4000), budget);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await rig.records.readValue(1); // 1 is now more recently used than 2

      const { released } = await computeNext(randomDigits(4000), budget);

      expect(released).toBe(1);
      expect(await rig.records.readValue(2)).toBeNull();
      expect(await rig.records.readValue(1)).not.toBeNull();
      expect(await rig.records.readValue(3)).not.toBeNull();
      expect(await rig.records.stats()).toMatchObject({ evictions: 1, valuesHeld: 2 });
      expect((await rig.records.stats()).valueBytes).toBeLessThanOrEqual(budget);
      // Released values stay DONE: they are computed again when asked for.
      expect((await rig.records.summary(2))?.status).toBe('DONE');
    });

    it('keeps a value larger than the whole budget, releasing every other one', async () => {
      for (const index of [1, 2]) await enqueue(index);
      await computeNext(randomDigits(100));
      const { released } = await computeNext(randomDigits(4000), 10);

      expect(released).toBe(1);
      expect(await rig.records.readValue(1)).toBeNull();
      expect(await rig.records.readValue(2)).not.toBeNull();
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
        await enqueue(index, { mode: 'submit', listScore: at });
      }
      expect(await rig.records.listedAfter(4, 2)).toEqual(['2', '3']);
      expect(await rig.records.listedAfter(1, 5)).toEqual([]);
      expect(await rig.records.listedAfter(99, 5)).toBeNull();
    });
  });
});
