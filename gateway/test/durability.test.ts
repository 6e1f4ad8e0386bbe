import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fibonacci, WORKER_GROUP } from '@fibgraph/core';
import { CALCULATION, SUBMIT, type CalculationData } from './operations.js';
import { waitUntil } from '@fibgraph/devstack';
import { printed, TestSystem } from './system.js';

let system: TestSystem;

beforeEach(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterEach(() => system?.stop());

async function statusOf(index: number): Promise<CalculationData | null> {
  const { data } = await system
    .client(system.gateways.length - 1)
    .request<{ calculation: CalculationData | null }>(CALCULATION, { index });
  return data?.calculation ?? null;
}

async function waitUntilDone(indexes: number[], timeoutMs = 30_000): Promise<Map<number, string | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await Promise.all(indexes.map(statusOf));
    if (results.every((r) => r?.status === 'DONE')) return new Map(results.map((r) => [r!.index, r!.value]));
    if (Date.now() > deadline) throw new Error(`not all DONE: ${JSON.stringify(results)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('no accepted submission is lost', () => {
  it('keeps jobs submitted while no worker runs and computes them when one starts', async () => {
    const client = system.client();
    for (const index of [30, 31, 32]) {
      const { data } = await client.request<{ submitValue: CalculationData }>(SUBMIT, { index });
      expect(data?.submitValue.status).toBe('PENDING');
    }
    await system.addWorker();
    const values = await waitUntilDone([30, 31, 32]);
    expect(values.get(32)).toBe('2178309');
  });

  it('completes a job held by a worker that died, on another worker', async () => {
    await system.client().request(SUBMIT, { index: 4000 });
    // A worker joins the group, takes the job and dies without acknowledging it.
    const redis = system.inspect();
    await redis.xgroup('CREATE', `${system.prefix}jobs`, WORKER_GROUP, '0', 'MKSTREAM');
    const taken = await redis.xreadgroup(
      'GROUP',
      WORKER_GROUP,
      'dead-worker',
      'COUNT',
      1,
      'STREAMS',
      `${system.prefix}jobs`,
      '>',
    );
    expect(taken).not.toBeNull();
    expect((await statusOf(4000))?.status).toBe('PENDING');

    await system.addWorker({ CLAIM_IDLE_MS: '500' });
    const values = await waitUntilDone([4000]);
    expect(values.get(4000)).toBe(fibonacci(4000).toString());
    const pending = (await redis.xpending(`${system.prefix}jobs`, WORKER_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('completes a job whose worker was killed mid-computation', async () => {
    // 0.3 s or more of work (GMP converts to decimal): wide enough to kill the worker in the
    // middle, and under the gateway's MAX_RESPONSE_DIGITS (1,880,889 digits), so the test reads it whole.
    const index = 9_000_000;
    await system.addGateway({ MAX_INDEX: '10000000' });
    const slow = await system.addWorker({ MAX_INDEX: '10000000' });
    const redis = system.inspect();
    const { errors } = await system.client(1).request(SUBMIT, { index });
    expect(errors).toBeUndefined();
    await waitUntil(
      'the job to be held',
      async () => {
        const [held] = (await redis.xpending(`${system.prefix}jobs:large`, WORKER_GROUP)) as [number];
        return held === 1;
      },
      { intervalMs: 5 },
    );
    // SIGKILL leaves no chance to hand the job back: only the consumer group remembers it.
    await slow.child.stop('SIGKILL');
    expect((await statusOf(index))?.status).toBe('PENDING');

    await system.addWorker({ CLAIM_IDLE_MS: '500', MAX_INDEX: '10000000' });
    const values = await waitUntilDone([index], 60_000);
    expect(values.get(index)).toBe(fibonacci(index).toString());
  });

  it('enqueues a stored submission whose enqueue never happened (a gateway died between the two writes)', async () => {
    await system.addWorker();
    await system.client().request(SUBMIT, { index: 60 });
    await waitUntilDone([60]);

    const db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
    await db.query('INSERT INTO submissions (index) VALUES (61)');
    await db.end();
    const values = await waitUntilDone([61]);
    expect(values.get(61)).toBe(fibonacci(61).toString());
  });

  it('computes a submission accepted while Redis was unreachable once Redis is back, data intact', async () => {
    await system.stop();
    system = await TestSystem.start({
      gateways: 1,
      workers: 1,
      redisDir: mkdtempSync(path.join(tmpdir(), 'fib-redis-')),
    });
    await system.client().request(SUBMIT, { index: 50 });
    await waitUntilDone([50]);

    await system.restartRedis(async () => {
      const { data, errors } = await system.client().request<{ submitValue: CalculationData }>(SUBMIT, { index: 51 });
      expect(errors).toBeUndefined();
      expect(data?.submitValue).toMatchObject({ index: 51, status: 'PENDING' });
    });
    // The outage lost nothing: this is the reconciler's catch-up, not a refill after a wipe.
    expect(await system.inspect().hget(`${system.prefix}result:50`, 'status')).toBe('DONE');
    const values = await waitUntilDone([50, 51], 45_000);
    expect(values.get(51)).toBe(fibonacci(51).toString());
  });

  it('brings every submitted index back to DONE after Redis loses everything', async () => {
    await system.addWorker();
    const indexes = [40, 41, 42, 43, 500];
    for (const index of indexes) await system.client().request(SUBMIT, { index });
    await waitUntilDone(indexes);

    await system.wipeRedis(async () => {
      const res = await fetch(`http://127.0.0.1:${system.gateways[0]!.port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ postgres: 'up', redis: 'down' });
    });
    // Not dbsize() === 0 here: the gateway and worker reconnect at once and start refilling it.

    const values = await waitUntilDone(indexes, 45_000);
    for (const index of indexes) expect(values.get(index)).toBe(fibonacci(index).toString());
    // Everything was lost: the new Redis' job stream has seen exactly one job per index, the refill's.
    expect(await system.jobsEverEnqueued()).toBe(indexes.length);
  });

  it('refills a wiped Redis gradually: at most RECONCILE_BATCH jobs per pass', async () => {
    const gateway = await system.addGateway({ RECONCILE_BATCH: '2', RECONCILE_INTERVAL_MS: '1500' });
    await system.gateways[0]!.child.stop();
    const client = system.client(system.gateways.indexOf(gateway));
    for (const index of [70, 71, 72, 73, 74]) await client.request(SUBMIT, { index });
    await system.wipeRedis();

    const redis = system.inspect();
    const jobs = `${system.prefix}jobs`;
    // A pass enqueues one job after another: wait for its report, not for the first job.
    const passed = () => printed(gateway.child, 're-enqueued submissions missing from Redis') > 0;
    await waitUntil('the first pass', async () => passed(), { intervalMs: 20 });
    expect(await redis.xlen(jobs)).toBe(2);
    await waitUntil('every index to be queued again', async () => (await redis.xlen(jobs)) === 5, {
      timeoutMs: 20_000,
    });
  });
});
