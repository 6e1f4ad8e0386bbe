/**
 * The submission path's speed, straight to one built gateway (no nginx) with one worker, measured
 * with wrk: `{ __typename }`/s, submitValue of a cached index /s, fresh submissions accepted/s
 * (a new index each request, every request from its own address so the per-client limits act as
 * for many users) and the CPU time the gateway and the worker spend per request; then every stored
 * submission's index must get its result (completed/s, from the first fresh submission to the
 * last result; nothing lost).
 *   npm run bench:gateway     (npm run build, then this)
 * Env: BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_CONNECTIONS (fresh 50; typename/cached 20),
 * BENCH_MODES (typename,cached,fresh), BENCH_LATENCY=0 (skip the latency at rest),
 * BENCH_CPU_PROF=<dir> (a .cpuprofile of the gateway and the worker, via cpu-prof.mjs: NODE_OPTIONS
 * may not carry --cpu-prof; read it with profile-summary.ts). MAX_BACKLOG is lifted so a run's
 * fresh jobs are never refused as BUSY.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { cpuMs as processCpuMs } from '../../e2e/procs.js';
import { keys, post, withBenchSystem } from '../bench-system.js';
import { median } from '../bench/stats.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FRESH_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LUA = path.join(import.meta.dirname, 'submit.lua');
const PROF = process.env.BENCH_CPU_PROF;
const PROF_PRELOAD = path.join(import.meta.dirname, 'cpu-prof.mjs');
const MODES = (process.env.BENCH_MODES ?? 'typename,cached,fresh').split(',') as ('typename' | 'cached' | 'fresh')[];

/** CPU time (user + system) of a process so far, in ms. */
function cpuMs(pid: number): number {
  const used = processCpuMs(pid);
  if (used === undefined) throw new Error(`process ${pid} is gone`);
  return used;
}

async function wrk(port: number, mode: string, connections: number, seconds: number, base = 0) {
  const { stdout } = await run(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', LUA, `http://127.0.0.1:${port}/graphql`],
    { env: { ...process.env, FIB_MODE: mode, FIB_BASE: String(base) } },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(`wrk printed no RESULT:\n${stdout}`);
  const fields = Object.fromEntries(
    line
      .split(' ')
      .slice(1)
      .map((kv) => kv.split('=') as [string, string]),
  );
  const firstError = stdout.split('\n').find((l) => l.startsWith('first error'));
  return {
    requests: Number(fields.requests),
    failed: Number(fields.failed),
    rps: Number(fields.rps),
    p50: fields.p50!,
    p99: fields.p99!,
    firstError,
  };
}

await withBenchSystem(
  {
    workers: 1,
    gatewayEnv: { MAX_BACKLOG: '10000000' },
    env: PROF ? { NODE_OPTIONS: `--import=${PROF_PRELOAD}`, PROF_DIR: PROF } : {},
  },
  async ([port], redis, parts) => {
    const [gatewayPid] = parts.gatewayPids;
    const [workerPid] = parts.workerPids;
    const db = new pg.Client({ connectionString: parts.databaseUrl });
    await db.connect();
    const subscriber = redis.duplicate();
    let results = 0;
    subscriber.on('message', () => (results += 1));
    await subscriber.subscribe(keys.valueCalculated);
    const figures: Record<string, number[]> = {};
    const note = (name: string, value: number) => (figures[name] ??= []).push(value);
    try {
      // Warm up (JIT, pools), and one DONE index for the cached runs.
      await wrk(port, 'typename', 20, 2);
      if ((await post(port, 'mutation { submitValue(index: 5) { index } }')).errors) throw new Error('submit 5');
      while ((await redis.hget(keys.calculation(5), 'status')) !== 'DONE') await new Promise((r) => setTimeout(r, 20));
      await wrk(port, 'cached', 20, 2, 5);
      if (process.env.BENCH_LATENCY !== '0') await latency(port);
      let base = 1_000;
      for (let r = 0; r < RUNS; r++) {
        for (const mode of MODES) {
          const connections = mode === 'fresh' ? FRESH_CONNECTIONS : 20;
          const gatewayCpu = cpuMs(gatewayPid!);
          const workerCpu = cpuMs(workerPid!);
          const resultsBefore = results;
          const rowsBefore = Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count);
          const started = performance.now();
          const w = await wrk(port, mode, connections, SECONDS, mode === 'fresh' ? base : 5);
          const ok = w.requests - w.failed;
          note(`${mode} ok/s`, ok / SECONDS);
          note(`${mode} p50 ms`, Number(w.p50.replace('ms', '')));
          note(`${mode} p99 ms`, Number(w.p99.replace('ms', '')));
          note(`${mode} gateway CPU ms/req`, (cpuMs(gatewayPid!) - gatewayCpu) / w.requests);
          let line = `${mode}: ${ok} ok (${(ok / SECONDS).toFixed(0)}/s), ${w.failed} failed, p50 ${w.p50} p99 ${w.p99}`;
          line += `, gateway CPU ${((cpuMs(gatewayPid!) - gatewayCpu) / w.requests).toFixed(3)} ms/req`;
          if (w.firstError) line += `\n  ${w.firstError}`;
          if (mode === 'fresh') {
            // Every stored submission (also one whose answer wrk did not wait for: wrk stops with
            // requests in flight, which the gateway still stores) must get its result.
            const count = async () => Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count);
            for (let last = -1, now = await count(); now !== last; last = now, now = await count()) {
              await new Promise((r) => setTimeout(r, 500));
            }
            const stored = Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count) - rowsBefore;
            const distinct = Number(
              (await db.query('SELECT count(DISTINCT "index") FROM submissions WHERE "index" >= $1', [base])).rows[0]
                .count,
            );
            const deadline = Date.now() + 120_000;
            while (results - resultsBefore < distinct && Date.now() < deadline)
              await new Promise((r) => setTimeout(r, 5));
            const completedMs = performance.now() - started;
            if (process.env.BENCH_DUPLICATES) {
              const dups = await db.query(
                `SELECT "index", array_agg(id ORDER BY id) AS ids, array_agg(submitted_at ORDER BY id) AS at
                 FROM submissions WHERE "index" >= $1 GROUP BY "index" HAVING count(*) > 1 LIMIT 5`,
                [base],
              );
              console.log('duplicates:', JSON.stringify(dups.rows));
            }
            const { rows } = await db.query<{ index: number }>(
              'SELECT DISTINCT "index" FROM submissions WHERE "index" >= $1',
              [base],
            );
            const pipeline = redis.pipeline();
            for (const { index } of rows) pipeline.hget(keys.calculation(index), 'status');
            const statuses = ((await pipeline.exec()) ?? []).map(([, s]) => s);
            const lost = statuses.filter((s) => s !== 'DONE').length;
            if (lost > 0)
              console.log(
                'not DONE:',
                rows.filter((_, i) => statuses[i] !== 'DONE').slice(0, 5),
                statuses.filter((s) => s !== 'DONE').slice(0, 5),
              );
            note('fresh completed/s', stored / (completedMs / 1000));
            note('worker CPU ms/job', (cpuMs(workerPid!) - workerCpu) / stored);
            line += `\n  stored ${stored} (${distinct} indexes; ok answers ${ok}), results ${results - resultsBefore}, not DONE ${lost}`;
            line += `, completed ${(stored / (completedMs / 1000)).toFixed(0)}/s`;
            line += `, worker CPU ${((cpuMs(workerPid!) - workerCpu) / stored).toFixed(3)} ms/job`;
            if (lost > 0 || ok > stored) throw new Error(`LOST: ${line}`);
            base += w.requests + 10_000;
          }
          console.log(line);
        }
      }
      console.log(`\nmedians of ${RUNS} runs, ${SECONDS} s each (fresh -c${FRESH_CONNECTIONS}, others -c20):`);
      for (const [name, values] of Object.entries(figures)) console.log(`  ${name}: ${median(values).toFixed(2)}`);
    } finally {
      subscriber.disconnect();
      await db.end();
    }
  },
);

/**
 * One at a time, at rest: a bare `{ __typename }` round trip against submitValue of a new small
 * index until its valueCalculated event arrives on a WebSocket subscription (p50 / p99).
 */
async function latency(port: number): Promise<void> {
  const n = Number(process.env.BENCH_LATENCY_COUNT ?? 200);
  const ws = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, lazy: false });
  const waiting = new Map<number, () => void>();
  let subscribed: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const stop = ws.subscribe<{ valueCalculated: { index: number } }>(
    { query: 'subscription { valueCalculated { index status } }' },
    {
      next: ({ data }) => waiting.get(data!.valueCalculated.index)?.(),
      error: (err) => console.error('subscription error', err),
      complete: () => undefined,
    },
  );
  // The subscription is in place once a result published after it arrives: submit one and wait.
  const heard = (index: number) => new Promise<void>((resolve) => waiting.set(index, resolve));
  const probe = heard(3);
  setTimeout(subscribed, 500);
  await ready;
  await post(port, 'mutation { submitValue(index: 3) { index } }', '10.200.0.1');
  await probe;
  const typename: number[] = [];
  const event: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await post(port, '{ __typename }');
    typename.push(performance.now() - t);
    const index = 100 + i;
    const arrived = heard(index);
    t = performance.now();
    const body = await post(port, `mutation { submitValue(index: ${index}) { index } }`, `10.201.${i >> 8}.${i & 255}`);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    answered.push(performance.now() - t);
    await arrived;
    event.push(performance.now() - t);
  }
  stop();
  await ws.dispose();
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
  const t50 = pct(typename, 0.5);
  const e50 = pct(event, 0.5);
  console.log(
    `latency (${n} one at a time): typename p50 ${t50.toFixed(2)} ms p99 ${pct(typename, 0.99).toFixed(2)} ms; ` +
      `submit -> event p50 ${e50.toFixed(2)} ms (${(e50 / t50).toFixed(1)}x) p99 ${pct(event, 0.99).toFixed(2)} ms ` +
      `(its answer: p50 ${pct(answered, 0.5).toFixed(2)} ms p99 ${pct(answered, 0.99).toFixed(2)} ms)`,
  );
}
