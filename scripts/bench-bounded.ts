/**
 * `npm run bench:bounded`: what the value budget and the fair queue do, measured on the built
 * gateway and worker with a private Redis and a Postgres database of their own (nothing of a
 * running stack is touched). Prints:
 * - Redis' used memory after the same workload (300 values near F(10^6)) without a budget and with
 *   VALUE_CACHE_MB=16, with the evictions and recomputations the budget cost;
 * - how long a small index submitted by someone else takes behind a backlog of 200 huge jobs from
 *   20 other clients (one worker).
 * Bounded: every wait has a deadline; everything started is stopped.
 */
import { waitUntil } from '@fibgraph/devstack';
import { Redis } from 'ioredis';
import { keys, post, withBenchSystem } from './bench-system.js';

/** The gateway's per-client submit rate out of the way: these benches are about the queue and the budget. */
const LIFTED = { SUBMIT_RATE_PER_SECOND: '100000' };
const HUGE = Array.from({ length: 300 }, (_, i) => 999_700 + i);

async function memoryAfterWorkload(valueCacheMb: string) {
  return withBenchSystem(
    { env: { VALUE_CACHE_MB: valueCacheMb, MAX_JOBS_PER_CLIENT: '1000' }, gatewayEnv: LIFTED },
    async ([port], redis) => {
      for (const index of HUGE) await post(port, `mutation { submitValue(index: ${index}) { index } }`, '10.9.0.1');
      await waitUntil(
        'the 300 values computed',
        async () => {
          const pipeline = redis.pipeline();
          for (const index of HUGE) pipeline.hget(keys.calculation(index), 'status');
          return ((await pipeline.exec()) ?? []).every(([, status]) => status === 'DONE');
        },
        { timeoutMs: 240_000, intervalMs: 500 },
      );
      const usedMb = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]) / 1024 / 1024;
      // Every value asked for again: a released one is computed again.
      for (const index of HUGE.slice(0, 20))
        await post(port, `{ calculation(index: ${index}) { digits value } }`, '10.9.0.2');
      const [evictions, recomputations] = await redis.hmget(keys.stats, 'evictions', 'recomputations');
      return { usedMb, evictions: Number(evictions ?? 0), recomputations: Number(recomputations ?? 0) };
    },
  );
}

async function smallBehindBacklog() {
  return withBenchSystem({ gatewayEnv: LIFTED }, async ([port], redis) => {
    // 200 huge jobs from 20 clients (10 each, the default cap), then F(77) from someone else.
    for (let client = 0; client < 20; client++) {
      for (let j = 0; j < 10; j++) {
        await post(
          port,
          `mutation { submitValue(index: ${990_000 + client * 10 + j}) { index } }`,
          `10.8.0.${client + 1}`,
        );
      }
    }
    const subscriber = new Redis(redis.options);
    await subscriber.subscribe(keys.valueCalculated);
    const done = new Promise<number>((resolve) =>
      subscriber.on('message', (_channel, message) => {
        if ((JSON.parse(message) as { index: number }).index === 77) resolve(Date.now());
      }),
    );
    const started = Date.now();
    await post(port, 'mutation { submitValue(index: 77) { index } }', '10.8.1.1');
    const finished = await Promise.race([
      done,
      new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 60_000)),
    ]);
    subscriber.disconnect();
    return finished - started;
  });
}

console.log('value budget: 300 values near F(10^6), one worker, Redis used_memory when all are done');
const unbounded = await memoryAfterWorkload('100000');
console.log(`  without a budget:        ${unbounded.usedMb.toFixed(1)} MB`);
const bounded = await memoryAfterWorkload('16');
console.log(
  `  VALUE_CACHE_MB=16:       ${bounded.usedMb.toFixed(1)} MB (${bounded.evictions} values released; 20 asked for again: ${bounded.recomputations} computed again)`,
);
const latency = await smallBehindBacklog();
console.log(`fair queue: F(77) from another client behind 200 huge jobs of 20 clients: ${latency} ms to its event`);
