/**
 * `npm run bench:processes`: throughput of 1 gateway x 1 worker against 2 gateways x 3 workers, on
 * the built services with a private Redis and a Postgres database of their own. For each workload
 * (N small indexes, N large ones) it prints submissions accepted per second (16 at a time, spread
 * over the gateways, from one address with the per-client limits lifted) and results completed per
 * second (from the first submission to the last valueCalculated). No assertions: on a 2-core
 * machine more processes share the same cores.
 *   BENCH_SUBMISSIONS=500 npm run bench:processes     N (default 300); `npm run bench` runs it too
 */
import { keys, post, withBenchSystem } from './bench-system.js';

const N = Number(process.env.BENCH_SUBMISSIONS ?? 300);
const WORKLOADS = {
  'small (F(1000+i))': Array.from({ length: N }, (_, i) => 1_000 + i),
  'large (F(300000+i))': Array.from({ length: N }, (_, i) => 300_000 + i),
};
const LIMITS = { SUBMIT_RATE_PER_SECOND: '100000', MAX_JOBS_PER_CLIENT: '100000' };

async function submit(port: number, index: number): Promise<void> {
  const body = await post(port, `mutation { submitValue(index: ${index}) { index } }`);
  if (body.errors) throw new Error(`submitValue(${index}): ${JSON.stringify(body.errors)}`);
}

async function measure(gateways: number, workers: number, indexes: number[]) {
  return withBenchSystem({ gateways, workers, gatewayEnv: LIMITS }, async (ports, redis) => {
    const subscriber = redis.duplicate();
    try {
      let completed = 0;
      const allDone = new Promise<number>((resolve) =>
        subscriber.on('message', () => ++completed === indexes.length && resolve(performance.now())),
      );
      await subscriber.subscribe(keys.valueCalculated);
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let at = next++; at < indexes.length; at = next++) await submit(ports[at % gateways]!, indexes[at]!);
        }),
      );
      const accepted = performance.now();
      const timeout = new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`${completed} of ${indexes.length} completed in 120 s`)), 120_000).unref(),
      );
      const finished = await Promise.race([allDone, timeout]);
      const perSecond = (ms: number) => (indexes.length / (ms / 1000)).toFixed(0);
      return { accepted: perSecond(accepted - started), completed: perSecond(finished - started) };
    } finally {
      subscriber.disconnect();
    }
  });
}

console.log(`${N} submissions per workload; accepted/s and completed/s (first submission to last result)`);
for (const [name, indexes] of Object.entries(WORKLOADS)) {
  for (const [gateways, workers] of [
    [1, 1],
    [2, 3],
  ] as const) {
    const { accepted, completed } = await measure(gateways, workers, indexes);
    console.log(
      `  ${name.padEnd(20)} ${gateways} gateway(s) x ${workers} worker(s): ${accepted.padStart(5)} accepted/s, ${completed.padStart(5)} completed/s`,
    );
  }
}
