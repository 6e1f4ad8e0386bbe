/**
 * `npm run bench`: measures the system as a user meets it and writes docs/benchmarks.md with its
 * charts in docs/benchmarks/ (issue 11's figures against their targets). The parts:
 * - maths: F(n) for n = 10^3..10^7, the worker's method against GMP and an iterative BigInt loop;
 * - cold start: a newcomer's `npm start` (embedded Postgres, fresh data) until ready;
 * - then one stack as `npm start` runs it, production mode, nginx on BENCH_PORT (8080), on a
 *   private Postgres and Redis (scripts/bench/stack.ts): latency (the floor and submit -> live
 *   event), big-index (F(10^6) submit -> event against GMP), throughput (concurrency 50, nothing
 *   lost), fan-out (BENCH_SUBSCRIBERS live pages and a 50-event burst), resumed (1,000 pages,
 *   each subscribed from a cursor of its own, and a 20-event burst), with every process' RSS
 *   sampled throughout;
 * - fanout-scaled: the fan-out again on a stack of its own with one gateway per core behind nginx
 *   (GATEWAYS, as a deployment scales it), the rest as above.
 *   npm run bench -- latency throughput    only those parts; prints, writes nothing to docs/
 *   BENCH_GATEWAYS=2 BENCH_WORKERS=2 npm run bench    a larger stack (default: npm start's 1 and 1)
 * Exits non-zero only when something was lost or wrong, never because something was slow.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNginx, REPO_ROOT } from '@fibgraph/devstack';
import * as prettier from 'prettier';
import { bigIndexBench } from './bench/big-index.js';
import { renderChart } from './bench/chart.js';
import { runColdStartBench } from './bench/coldstart.js';
import { fanoutBench } from './bench/fanout.js';
import { latencyBench } from './bench/latency.js';
import { resumedBench } from './bench/resumed.js';
import { runMathsBench } from './bench/maths.js';
import { RssSampler } from './bench/rss.js';
import type { BenchPart, BenchSection } from './bench/section.js';
import { BENCH_GATEWAYS, BENCH_PORT, BENCH_WORKERS, withBenchStack } from './bench/stack.js';
import { throughputBench } from './bench/throughput.js';

const ALONE: Record<string, () => Promise<BenchSection>> = { maths: runMathsBench, coldstart: runColdStartBench };
const ON_THE_STACK: Record<string, BenchPart> = {
  latency: latencyBench,
  'big-index': bigIndexBench,
  throughput: throughputBench,
  fanout: fanoutBench,
  resumed: resumedBench,
};
/**
 * One gateway per core, 2 to 4: how far the fan-out goes when the gateways are scaled out. (More
 * would ask the bench's Postgres for more connections than it may serve: up to 10 each.)
 */
const SCALED_GATEWAYS = Math.min(4, Math.max(2, os.cpus().length));
const SCALED = 'fanout-scaled';
const ALL = [...Object.keys(ALONE), ...Object.keys(ON_THE_STACK), SCALED];

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!ALL.includes(name)) throw new Error(`unknown part ${name}; the parts are: ${ALL.join(', ')}`);
}
const selected = wanted.length > 0 ? wanted : ALL;
const everything = selected.length === ALL.length;

const DOCS = path.join(REPO_ROOT, 'docs');
const CHARTS = path.join(DOCS, 'benchmarks');
const logDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-bench-'));
const startedAt = new Date();
const commit = spawnSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
/** Read before the run writes docs/benchmarks/. */
const dirty = spawnSync('git', ['-C', REPO_ROOT, 'status', '--porcelain'], { encoding: 'utf8' }).stdout.trim() !== '';

/** A part that throws is a problem of its own; the others still run and are written. */
async function attempt(name: string, run: () => Promise<BenchSection>): Promise<BenchSection> {
  console.log(`\n[bench] ${name} ...`);
  const t0 = performance.now();
  try {
    const section = await run();
    console.log(`[bench] ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    console.log(section.markdown);
    for (const problem of section.problems) console.log(`[bench] PROBLEM: ${problem}`);
    return section;
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.log(`[bench] ${name} failed: ${message}`);
    return {
      title: name,
      markdown: `This part failed:\n\n\`\`\`\n${message}\n\`\`\``,
      figures: [],
      charts: [],
      problems: [`${name} failed: ${message.split('\n')[0]}`],
    };
  }
}

const sections: BenchSection[] = [];
for (const [name, run] of Object.entries(ALONE)) {
  if (selected.includes(name)) sections.push(await attempt(name, run));
}
const onStack = Object.entries(ON_THE_STACK).filter(([name]) => selected.includes(name));
if (onStack.length > 0) {
  sections.push(
    ...(await withBenchStack({}, logDir, async (stack) => {
      const sampler = new RssSampler(stack);
      const measured: BenchSection[] = [];
      for (const [name, part] of onStack) {
        sampler.phase(name);
        measured.push(await attempt(name, () => part(stack)));
      }
      measured.push(sampler.stop());
      return measured;
    })),
  );
}

if (selected.includes(SCALED)) {
  // A log of its own: the first stack's stays to be read.
  const scaledLogDir = path.join(logDir, SCALED);
  mkdirSync(scaledLogDir);
  sections.push(
    await withBenchStack({ GATEWAYS: String(SCALED_GATEWAYS) }, scaledLogDir, async (stack) =>
      scaledOut(await attempt(SCALED, () => fanoutBench(stack))),
    ),
  );
}

/** The fan-out section of the scaled stack, told apart from the first one's (its worker is the same: left out). */
function scaledOut(section: BenchSection): BenchSection {
  const label = `${SCALED_GATEWAYS} gateways${SCALED_GATEWAYS === os.cpus().length ? ' (one per core)' : ''}`;
  return {
    ...section,
    title: `${section.title}, ${label}`,
    markdown: `The fan-out part (scripts/bench/fanout.ts) again, on a stack of its own with ${label} behind nginx, which spreads the sockets between them.\n\n${section.markdown}`,
    figures: section.figures
      .filter((f) => !f.figure.startsWith('worker'))
      .map((f) => ({ ...f, figure: `${f.figure}, ${label}` })),
    charts: section.charts.map((c) => ({
      ...c,
      file: c.file.replace(/\.svg$/, `-${SCALED_GATEWAYS}-gateways.svg`),
      title: `${c.title}, ${label}`,
    })),
  };
}

const problems = sections.flatMap((s) => s.problems);
if (everything) {
  rmSync(CHARTS, { recursive: true, force: true });
  mkdirSync(CHARTS, { recursive: true });
  for (const chart of sections.flatMap((s) => s.charts))
    writeFileSync(path.join(CHARTS, chart.file), renderChart(chart));
  // Formatted as `npm run lint` checks it (tables aligned).
  const file = path.join(DOCS, 'benchmarks.md');
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  writeFileSync(file, await prettier.format(document(sections), options));
  console.log(
    `\n[bench] wrote docs/benchmarks.md and ${sections.flatMap((s) => s.charts).length} charts in docs/benchmarks/`,
  );
} else {
  console.log('\n[bench] some parts only: docs/benchmarks.md left as it is');
}
console.log(`[bench] the stack's log: ${path.join(logDir, 'stack.log')}`);
if (problems.length > 0) {
  console.log(`[bench] ${problems.length} problem(s): something was lost or wrong\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
}

function document(all: BenchSection[]): string {
  const mark = (met: boolean | null) => (met === null ? '' : met ? 'met' : '**not met**');
  const rows = all
    .flatMap((s) => s.figures)
    .map((f) => `| ${f.figure} | ${f.measured} | ${f.target} | ${mark(f.met)} |`);
  const body = all.map((s) => {
    const charts = s.charts.map((c) => `![${c.title}](benchmarks/${c.file})`).join('\n\n');
    return `## ${s.title}\n\n${s.markdown.trim()}\n${charts ? `\n${charts}\n` : ''}`;
  });
  const problemLines = problems.length > 0 ? problems.map((p) => `- ${p}`).join('\n') : 'None: nothing lost or wrong.';
  return `<!-- Written by \`npm run bench\` (scripts/bench.ts); edit that, not this. -->

# Benchmarks

${machine()}

Load comes from many loopback source addresses (127.x.y.z), so nginx's per-address limits act as they
would for many users. Every figure is from one run on a machine that was otherwise idle only as far
as the text says; rerun \`npm run bench\` to compare.

| figure | measured | target | |
|---|---|---|---|
${rows.join('\n')}

Problems (something lost or wrong): ${problems.length > 0 ? `\n\n${problemLines}` : problemLines}

${body.join('\n')}`;
}

function machine(): string {
  /** The first line a program prints about itself (nginx -v prints to stderr), or 'not found'. */
  const version = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.error) return 'not found';
    return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
  };
  const pkg = (name: string) => {
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  };
  const cpus = os.cpus();
  const nginx = version(findNginx() ?? 'nginx', ['-v']).replace(/^nginx version: /, '');
  return [
    `Run ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} at commit ${commit}${dirty ? ' (with uncommitted changes)' : ''}; the stack: ${BENCH_GATEWAYS} gateway(s) and ${BENCH_WORKERS} worker(s), nginx on port ${BENCH_PORT} (the scaled fan-out: ${SCALED_GATEWAYS} gateways).`,
    '',
    `- Machine: ${cpus.length} x ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; ${nginx}; ${version('redis-server', ['--version']).replace(/ sha=.*/, '')}; ${version('psql', ['--version'])}`,
    `- @apollo/server ${pkg('@apollo/server')}, graphql ${pkg('graphql')}, graphql-ws ${pkg('graphql-ws')}, ws ${pkg('ws')}, @prisma/client ${pkg('@prisma/client')}, ioredis ${pkg('ioredis')}`,
  ].join('\n');
}
