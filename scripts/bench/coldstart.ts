/**
 * Cold `npm start` until ready, as a newcomer meets it minus the build: the stack's own start
 * (e2e/stack.ts `startStack`: packages/devstack/src/start.ts, nginx, development mode) with
 * nothing given, so an embedded Postgres and a private redis-server in a fresh data dir, on a
 * free port. Timed from spawning the process until it prints `ready in`, three times; the
 * stack's own per-step lines (`... (at 6.1 s)`) say where the time went.
 * Alone: `npx tsx scripts/bench/coldstart.ts` (after `npm run build`) prints the section.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getFreePort } from '@fibgraph/devstack';
import { descendantsOf, rssMb } from '../../e2e/procs.js';
import { startStack } from '../../e2e/stack.js';
import type { BenchSection } from './section.js';
import { median } from './stats.js';

const RUNS = 3;
const TARGET_S = 10;

interface Run {
  /** Seconds from spawning start.ts until its `ready in` line. */
  wallS: number;
  /** The stack's own steps: what, and its seconds since the process started. */
  steps: { what: string; atS: number }[];
  /** nginx's resident memory once ready, master and workers together (it serves the web client too). */
  nginxRssMb: number;
}

const STEP = /^\[stack\] (.+) \(at (\d+(?:\.\d+)?) s\)$/;
const READY = /^\[stack\] ready in (\d+(?:\.\d+)?) s/;

/** The steps of one start's log, with `ready` last. */
function parseSteps(log: string): Run['steps'] {
  return log.split('\n').flatMap((line) => {
    const step = STEP.exec(line);
    if (step) return [{ what: shorten(step[1]!), atS: Number(step[2]) }];
    const ready = READY.exec(line);
    return ready ? [{ what: 'ready', atS: Number(ready[1]) }] : [];
  });
}

/** "Postgres: embedded PGlite on port 40123, data in /tmp/..., up in 5.2 s" -> "Postgres up (5.2 s)". */
function shorten(what: string): string {
  const [name] = what.split(':');
  const took = /up in (\d+(?:\.\d+)?) s/.exec(what)?.[1];
  if (name === 'Postgres' || name === 'Redis') return `${name} up${took ? ` (took ${took} s)` : ''}`;
  return what;
}

async function coldStart(logFile: string): Promise<Run> {
  const started = performance.now();
  const stack = await startStack({ FIBGRAPH_PORT: String(await getFreePort()) }, { logFile });
  const wallS = (performance.now() - started) / 1000;
  try {
    const nginx = descendantsOf(stack.pid).filter((p) => /^nginx: (master|worker) process/.test(p.command));
    const nginxRssMb = nginx.reduce((sum, p) => sum + (rssMb(p.pid) ?? 0), 0);
    return { wallS, steps: parseSteps(readFileSync(logFile, 'utf8')), nginxRssMb };
  } finally {
    await stack.stop();
  }
}

const s = (seconds: number) => `${seconds.toFixed(1)} s`;

export async function runColdStartBench(): Promise<BenchSection> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-coldstart-'));
  const runs: Run[] = [];
  const problems: string[] = [];
  const load = os.loadavg()[0]!;
  for (let i = 1; i <= RUNS; i++) {
    try {
      runs.push(await coldStart(path.join(logDir, `stack-${i}.log`)));
    } catch (error) {
      problems.push(`cold start ${i} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  rmSync(logDir, { recursive: true, force: true });

  const walls = runs.map((run) => run.wallS);
  const mid = runs.length > 0 ? median(walls) : Number.NaN;
  const stepNames = [
    ...new Set(runs.flatMap((run) => run.steps.map((step) => step.what.replace(/ \(took .*\)$/, '')))),
  ];
  const atOf = (run: Run, name: string) => run.steps.find((step) => step.what.startsWith(name));
  const table = [
    `| step | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} |`,
    `|---|${runs.map(() => '---:').join('|')}|`,
    ...stepNames.map((name) => {
      const cells = runs.map((run) => {
        const step = atOf(run, name);
        const took = step && / \(took (.*)\)$/.exec(step.what)?.[1];
        return step ? `${s(step.atS)}${took ? ` (took ${took})` : ''}` : '-';
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    }),
    `| **spawn -> ready (measured here)** | ${walls.map((wall) => `**${s(wall)}**`).join(' | ')} |`,
    `| nginx RSS once ready (master + workers) | ${runs.map((run) => `${run.nginxRssMb.toFixed(0)} MB`).join(' | ')} |`,
  ];
  const markdown = [
    `${RUNS} cold starts of the local stack, one after another: \`node --import tsx packages/devstack/src/start.ts\``,
    'with no DATABASE_URL or REDIS_URL (embedded PGlite, private redis-server) in a fresh data dir, nginx as',
    "the proxy, after `npm run build`, as a newcomer's `npm start` runs it minus the build. Timed from",
    'spawning the process until it prints `ready in` (`/api/readyz` and `/` answer 200 through nginx).',
    "The steps are the stack's own log lines, in seconds since its process started.",
    '',
    ...table,
    '',
    `Median ${s(mid)} (target <= ${TARGET_S} s). Load average when it began: ${load.toFixed(1)} on`,
    `${os.cpus().length} cores; other work on the machine shows directly in these times. What limits it:`,
    "the embedded Postgres' first start, which runs initdb in WebAssembly (seconds of CPU on one core);",
    "the migrations are applied in the stack's own process through the WASM schema engine, loaded while",
    'Postgres starts, and the workers start as soon as Redis is up.',
  ].join('\n');

  return {
    title: 'Cold start',
    markdown,
    figures: [
      {
        figure: 'cold `npm start` until ready',
        measured:
          runs.length > 0 ? `${s(mid)} median (${walls.map(s).join(', ')})` : 'not measured: every start failed',
        target: `<= ${TARGET_S} s`,
        met: runs.length > 0 ? mid <= TARGET_S : null,
      },
    ],
    charts: [],
    problems,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await runColdStartBench();
  console.log(`## ${section.title}\n\n${section.markdown}`);
  for (const problem of section.problems) console.error(`problem: ${problem}`);
  process.exitCode = section.problems.length > 0 ? 1 : 0;
}
