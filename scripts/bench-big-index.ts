/**
 * `npm run bench:big-index`: F(10^6) from submission to its live event on the built gateway and
 * worker (one each, private Redis and Postgres: bench-system.ts), the first job after the worker's
 * boot against the ones after it. Each system is new, so every first job is a cold one.
 *   npm run bench:big-index -- 5     systems to start (default 3), each running 1 + 5 jobs (F(10^6 - k))
 *   WARM_GATEWAY=1 npm run bench:big-index    30 queries to the gateway first, so the first job's
 *                                             figure is the worker's cold start, not the gateway's
 * Prints the times; no assertions. Bounded: every wait has a deadline.
 */
import type { Redis } from 'ioredis';
import type { ValueCalculatedEvent } from '../packages/core/src/index.js';
import { keys, post, withBenchSystem } from './bench-system.js';
import { median } from './bench/stats.js';

const SYSTEMS = Number(process.argv[2] ?? 3);
const STEADY_JOBS = 5;
const EVENT_TIMEOUT_MS = 60_000;
/** A worker's first job comes some time after its boot, not in the same millisecond. */
const AFTER_BOOT_MS = 3_000;

interface Run {
  /** POST sent -> its answer (the gateway's part). */
  postMs: number;
  /** POST sent -> the worker's event. */
  ms: number;
  /** The worker's own figure: compute and decimal on its thread. */
  computeMs: number;
}

/** ms from the submission's POST until the worker's event for `index`, and the worker's computeMs. */
async function submitAndWait(port: number, subscriber: Redis, index: number): Promise<Run> {
  const event = new Promise<ValueCalculatedEvent>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no event for F(${index}) in ${EVENT_TIMEOUT_MS} ms`)),
      EVENT_TIMEOUT_MS,
    );
    const onMessage = (_channel: string, message: string) => {
      const parsed = JSON.parse(message) as ValueCalculatedEvent;
      if (parsed.index !== index) return;
      clearTimeout(timer);
      subscriber.off('message', onMessage);
      resolve(parsed);
    };
    subscriber.on('message', onMessage);
  });
  const started = performance.now();
  const answer = await post(port, `mutation { submitValue(index: ${index}) { index } }`);
  const postMs = performance.now() - started;
  if (answer.errors) throw new Error(`submitValue(${index}): ${JSON.stringify(answer.errors)}`);
  const { status, computeMs } = await event;
  if (status !== 'DONE') throw new Error(`F(${index}) ended ${status}`);
  return { postMs, ms: performance.now() - started, computeMs: computeMs ?? NaN };
}

const first: Run[] = [];
const steady: Run[] = [];
for (let system = 0; system < SYSTEMS; system++) {
  await withBenchSystem({ workers: 1 }, async ([port], redis) => {
    const subscriber = redis.duplicate();
    await subscriber.subscribe(keys.valueCalculated);
    try {
      await new Promise((resolve) => setTimeout(resolve, AFTER_BOOT_MS));
      // The gateway's first GraphQL operations are slow too (150-300 ms for the first POST here).
      if (process.env.WARM_GATEWAY)
        for (let i = 0; i < 30; i++) await post(port, `{ calculation(index: ${i}) { status } }`);
      // Distinct indexes near 10^6: each one is computed, none is served from the value cache.
      first.push(await submitAndWait(port, subscriber, 1_000_000));
      for (let job = 1; job <= STEADY_JOBS; job++) steady.push(await submitAndWait(port, subscriber, 1_000_000 - job));
    } finally {
      subscriber.disconnect();
    }
  });
}

const show = (runs: Run[]) =>
  `median ${median(runs.map((run) => run.ms)).toFixed(0)} ms (of which the POST's answer ` +
  `${median(runs.map((run) => run.postMs)).toFixed(0)}, the worker's computeMs ` +
  `${median(runs.map((run) => run.computeMs)).toFixed(0)}); all: ${runs.map((run) => run.ms.toFixed(0)).join(' ')}`;
console.log(
  `F(10^6) submit -> event, one gateway and one worker, ${SYSTEMS} fresh systems, first job ${AFTER_BOOT_MS} ms after boot`,
);
console.log(`  first job after the worker's boot: ${show(first)}`);
console.log(`  later jobs:                        ${show(steady)}`);
