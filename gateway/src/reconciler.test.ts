import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { LANES, redisKeys } from '@fibgraph/core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, startRedisServer, type RedisServer, type TestDatabase } from '@fibgraph/devstack';
import type { PrismaClient } from './__generated__/prisma/client.js';
import { CalculationStore } from './data/calculations.js';
import { connectPostgres, SubmissionStore } from './data/submissions.js';
import { createLogger } from './logger.js';
import { createPubSub } from './pubsub.js';
import { Reconciler, type ReconcilerOptions } from './reconciler.js';

const logger = createLogger('reconciler-test', 'silent');
const keys = redisKeys('t:');
let server: RedisServer;
let db: TestDatabase;
let redis: Redis;
let pubsub: RedisPubSub;
let prisma: PrismaClient;
let submissions: SubmissionStore;
let calculations: CalculationStore;

beforeAll(async () => {
  [server, db] = await Promise.all([startRedisServer(), createTestDatabase(inject('pgAdminUrl'))]);
  redis = new Redis(server.url);
  pubsub = createPubSub(server.url, 2_000, logger);
  const postgres = connectPostgres(db.url, 2, 5_000, logger);
  prisma = postgres.prisma;
  submissions = new SubmissionStore(postgres);
  calculations = new CalculationStore(
    redis,
    keys,
    pubsub,
    { admission: { perClient: 1_000, backlog: 100_000, windowMs: 60_000 }, recomputeWaitMs: 100 },
    logger,
  );
});

afterAll(async () => {
  await submissions?.disconnect();
  await pubsub?.close();
  redis?.disconnect();
  await Promise.all([server?.stop(), db?.drop()]);
});

beforeEach(async () => {
  await redis.flushall();
  await prisma.$executeRaw`TRUNCATE submissions RESTART IDENTITY`;
});

const reconciler = (options: Partial<ReconcilerOptions> = {}) =>
  new Reconciler(
    redis,
    keys,
    submissions,
    calculations,
    { intervalMs: 60_000, batch: 100, retentionDays: null, ...options },
    logger,
  );

/** A submission stored `ageMs` ago (older than the reconciler's 30 s settling time by default). */
async function submitted(index: number, ageMs = 60_000): Promise<void> {
  await prisma.submission.create({ data: { index, submittedAt: new Date(Date.now() - ageMs) } });
}

const jobsQueued = async () =>
  (await Promise.all(LANES.map((lane) => redis.xlen(keys.jobs(lane))))).reduce((a, b) => a + b);
const status = async (index: number) => (await calculations.get(index))?.status;

describe('Reconciler', () => {
  it('enqueues one job per submitted index Redis has no result for, and none for those it has', async () => {
    for (const index of [5, 5, 6, 300_000]) await submitted(index);
    await calculations.submit(6, Date.now());

    expect(await reconciler().runOnce()).toBe(2);

    expect([await status(5), await status(300_000)]).toEqual(['PENDING', 'PENDING']);
    expect(await jobsQueued()).toBe(3);
    expect(await reconciler().runOnce()).toBe(0);
    expect(await jobsQueued()).toBe(3);
  });

  it('enqueues at most `batch` jobs a pass, and the next pass goes on from there', async () => {
    for (const index of [1, 2, 3, 4, 5]) await submitted(index);
    const passes = reconciler({ batch: 2 });

    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await passes.runOnce());

    expect(counts).toEqual([2, 2, 1, 0]);
    expect(await jobsQueued()).toBe(5);
  });

  it('skips settled submissions once reconciled, and walks them all again after Redis lost everything', async () => {
    for (const index of [1, 2]) await submitted(index);
    expect(await reconciler().runOnce()).toBe(2);

    await redis.del(keys.calculation(1));
    expect(await reconciler().runOnce()).toBe(0);

    await redis.flushall();
    expect(await reconciler().runOnce()).toBe(2);
    expect([await status(1), await status(2)]).toEqual(['PENDING', 'PENDING']);
  });

  it('checks a recent submission again on every pass (its insert may not have been visible)', async () => {
    await submitted(8, 0);
    expect(await reconciler().runOnce()).toBe(1);

    await redis.del(keys.calculation(8));
    expect(await reconciler().runOnce()).toBe(1);
    expect(await status(8)).toBe('PENDING');
  });

  it('gives a job again to a PENDING result whose job vanished from its lane', async () => {
    await calculations.submit(9, Date.now());
    await redis.del(keys.jobs('small'));

    await reconciler().runOnce();

    expect(await jobsQueued()).toBe(1);
    expect(await status(9)).toBe('PENDING');
  });

  it('deletes submissions past the retention, at most `batch` a pass, and keeps the others', async () => {
    const day = 86_400_000;
    for (const index of [1, 2, 3]) await submitted(index, 10 * day);
    await submitted(4, 0);
    const passes = reconciler({ retentionDays: 7, batch: 2 });

    await passes.runOnce();
    expect(await prisma.submission.count()).toBe(2);
    await passes.runOnce();
    expect((await prisma.submission.findMany()).map((row) => row.index)).toEqual([4]);
  });

  it('does nothing while another gateway holds the lock, and lets go of its own after a pass', async () => {
    await submitted(1);
    await redis.set(keys.reconcileLock, 'another gateway', 'PX', 15_000);
    expect(await reconciler().runOnce()).toBe(0);
    expect(await jobsQueued()).toBe(0);

    await redis.del(keys.reconcileLock);
    expect(await reconciler().runOnce()).toBe(1);
    expect(await redis.exists(keys.reconcileLock)).toBe(0);
  });

  it('runs a pass as soon as it starts, and stop() waits for it', async () => {
    await submitted(1);
    const running = reconciler();

    running.start();
    await running.stop();

    expect(await status(1)).toBe('PENDING');
  });
});
