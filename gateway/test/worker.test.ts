import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fibonacci, WORKER_GROUP } from '@fibgraph/core';
import { waitUntil } from '@fibgraph/devstack';
import { CALCULATION, SUBMIT, type CalculationData } from './operations.js';
import { printed, TestSystem } from './system.js';

// 0.3 s or more of work on these machines (GMP converts to decimal: F(4,000,000) takes 0.1 s).
const BIG = 9_000_000;
const BIG_DIGITS = 1_880_889; // GMP's mpz_fib_ui, and V8's toString
const BIG_LIMIT = { MAX_INDEX: '10000000' };

let system: TestSystem;

beforeEach(async () => {
  system = await TestSystem.start({ gateways: 0, workers: 0 });
  await system.addGateway(BIG_LIMIT);
});
afterEach(() => system?.stop());

async function waitUntilDone(index: number): Promise<CalculationData> {
  let result: CalculationData | null = null;
  await waitUntil(
    `F(${index}) to be DONE`,
    async () => {
      const { data } = await system.client().request<{ calculation: CalculationData | null }>(CALCULATION, { index });
      result = data?.calculation ?? null;
      return result?.status === 'DONE';
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  return result!;
}

async function waitUntilSubmittedAndDone(index: number): Promise<CalculationData> {
  await system.client().request(SUBMIT, { index });
  return waitUntilDone(index);
}

const computedLines = (index: number) =>
  system.workers.flatMap(({ child }) =>
    child.lines().filter((line) => line.includes('"msg":"value calculated"') && line.includes(`"index":${index},`)),
  );

describe('worker', () => {
  it('keeps a long job to itself while computing: its heartbeats reset the job, a second worker never takes it', async () => {
    // F(10,000,000), the largest index MAX_INDEX allows, takes 0.3 s or more. A job idle for
    // CLAIM_IDLE_MS is taken over by another worker; the one computing it tells the group it is
    // still on it every CLAIM_IDLE_MS / 3 (100 ms at least), which resets the job's idle time.
    const HUGE = 10_000_000;
    const CLAIM_IDLE_MS = 300;
    const limits = { MAX_INDEX: String(HUGE), CLAIM_IDLE_MS: String(CLAIM_IDLE_MS) };
    await system.stop();
    system = await TestSystem.start({ gateways: 0, workers: 0 });
    await system.addGateway(limits);
    // Both workers are up before the job exists: either may take it, the other is there to take it over.
    await system.addWorker(limits);
    await system.addWorker(limits);
    const redis = system.inspect();
    const large = `${system.prefix}jobs:large`;
    await system.client().request(SUBMIT, { index: HUGE });

    // The job's idle time in the group, every 10 ms while a worker holds it.
    const idle: number[] = [];
    const deliveries = new Set<string>();
    await waitUntil(
      `F(${HUGE}) to be computed`,
      async () => {
        const held = (await redis.xpending(large, WORKER_GROUP, '-', '+', 10)) as [string, string, number, number][];
        for (const [, , idleMs, delivered] of held) {
          idle.push(idleMs);
          deliveries.add(`${delivered}`);
        }
        return held.length === 0 && idle.length > 0;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    const result = await waitUntilDone(HUGE);
    expect(result.digits).toBe(2_089_877); // GMP's mpz_fib_ui
    // Heartbeats: the idle time went back down while the job was held, and never reached CLAIM_IDLE_MS.
    const resets = idle.filter((ms, i) => i > 0 && ms < idle[i - 1]!).length;
    expect(resets, `idle times seen: ${idle.join(', ')}`).toBeGreaterThan(0);
    expect(Math.max(...idle)).toBeLessThan(CLAIM_IDLE_MS);
    // Delivered once; every start of the job counts an attempt, and a takeover would have made it 2.
    expect([...deliveries]).toEqual(['1']);
    expect(await redis.hget(`${system.prefix}result:${HUGE}`, 'attempts')).toBe('1');
    expect(computedLines(HUGE)).toHaveLength(1);
  });

  it('hands an unfinished job back on SIGTERM so another worker takes it at once', async () => {
    const first = await system.addWorker(BIG_LIMIT);
    const redis = system.inspect();
    await system.client().request(SUBMIT, { index: BIG });
    await waitUntil(
      'the job to be held',
      async () => ((await redis.xpending(`${system.prefix}jobs:large`, WORKER_GROUP)) as [number])[0] === 1,
      { intervalMs: 5 },
    );
    const stoppedAt = Date.now();
    await first.child.stop('SIGTERM');
    expect(Date.now() - stoppedAt).toBeLessThan(5_000); // not stuck behind the calculation
    expect(printed(first.child, 'handed an unfinished job back')).toBeGreaterThan(0);

    // The default CLAIM_IDLE_MS is 30 s: only a job handed back is claimable this soon.
    await system.addWorker(BIG_LIMIT);
    const result = await waitUntilDone(BIG);
    expect(Date.now() - stoppedAt).toBeLessThan(25_000);
    expect(result.digits).toBe(BIG_DIGITS);
  });

  it('works through a backlog of small and medium jobs, each computed once and exactly, and a SIGTERM in the middle loses none', async () => {
    // Queued while no worker runs, so the first worker finds them all waiting and takes them in
    // batches: small ones (below 20,000), and medium ones (below 200,000), the first of them on its
    // calculation thread (50,000 and up), the last on its own thread.
    const small = Array.from({ length: 480 }, (_, i) => 1_000 + i * 37);
    const medium = Array.from({ length: 120 }, (_, i) => 198_500 - i * 1_499);
    const indexes = [...small, ...medium];
    await Promise.all(indexes.map((index) => system.client().request(SUBMIT, { index })));
    const done: string[] = [];
    const onLine = (line: string) => line.includes('"msg":"value calculated"') && done.push(line);
    const first = await system.addWorker({}, { onLine });
    // Stopped once it has taken medium jobs on its calculation thread too (every fourth read looks
    // at the larger lanes first): a batch of them may be on the thread when the SIGTERM comes.
    const onThread = (line: string) =>
      line.includes('"lane":"medium"') && Number(/"index":(\d+)/.exec(line)?.[1]) >= 50_000;
    await waitUntil('medium jobs to be done on the calculation thread', async () => done.some(onThread), {
      intervalMs: 1,
    });
    await first.child.stop('SIGTERM');
    expect(done.length).toBeLessThan(indexes.length);
    await system.addWorker({}, { onLine });
    const results = await Promise.all(indexes.map((index) => waitUntilDone(index)));
    expect(results.map((r) => r.digits)).toEqual(indexes.map((index) => fibonacci(index).toString().length));
    // Each job was computed by one of the two workers, once: the one stopped finished it or handed it back.
    expect(done.length).toBe(indexes.length);
  });

  it('starts its calculation thread at boot, before any job, and computes exactly with it, converting with GMP', async () => {
    const worker = await system.addWorker();
    await waitUntil('the thread to be ready', async () => printed(worker.child, 'calculation thread ready') > 0);
    // The built worker found its addon (worker/native/decimal.c); the thread loads it too.
    expect(printed(worker.child, '"decimal":"gmp"')).toBe(1);
    const result = await waitUntilSubmittedAndDone(100_001);
    expect(result.value).toBe(fibonacci(100_001).toString());
  });

  it('exits cleanly when stopped while its calculation thread is still starting', async () => {
    const worker = await system.addWorker(); // ready as soon as it logs 'worker started'
    await worker.child.stop('SIGTERM');
    expect(await worker.child.exited).toBe(0);
    expect(printed(worker.child, 'did not start')).toBe(0);
  });

  it('marks a job FAILED when the index is above the worker MAX_INDEX, instead of retrying for ever', async () => {
    await system.addWorker({ MAX_INDEX: '1000' });
    await system.client().request(SUBMIT, { index: 2000 });
    await waitUntil('FAILED', async () => {
      const { data } = await system
        .client()
        .request<{ calculation: { status: string; error: string | null } | null }>(
          'query { calculation(index: 2000) { status error } }',
        );
      return data?.calculation?.status === 'FAILED' && /MAX_INDEX/.test(data.calculation.error ?? '');
    });
  });
});
