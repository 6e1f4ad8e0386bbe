/**
 * The Fibonacci part of `npm run bench`: F(n) for n = 10^3..10^7 by the worker's method, by a plain
 * iterative BigInt loop and by GMP (scripts/bench/gmp-fib.c, compiled here when `cc` and gmp.h are
 * found), every digit of the worker's value checked against GMP's, the loop's and known values.
 *   npx tsx scripts/bench/maths.ts     prints the section's markdown
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fibonacci } from '../../packages/core/src/fibonacci.js';
import { decimalConversion, toDecimal } from '../../worker/src/decimal.js';
import type { BenchSection } from './section.js';
import { median } from './stats.js';

const INDEXES = [1e3, 1e4, 1e5, 1e6, 1e7];
/** The iterative loop is skipped where its predicted time (quadratic in n) is above this. */
const LOOP_LIMIT_MS = 20_000;
const TARGET_RATIO = 3;

/** Digit counts and edges known independently of this code (digits: floor(n log10 phi - log10 sqrt 5) + 1). */
const KNOWN: Record<number, { digits: number; head?: string; tail?: string }> = {
  1e3: { digits: 209, head: '43466557686937456435', tail: '76137795166849228875' },
  1e4: { digits: 2_090 },
  1e5: { digits: 20_899, head: '2597406934722172416615503', tail: '3428746875' },
  1e6: { digits: 208_988, head: '19532821287077577316', tail: '68996526838242546875' },
  1e7: { digits: 2_089_877 },
};

/** Fewer runs where one run takes long. */
const runsFor = (n: number) => (n >= 1e7 ? 3 : n >= 1e6 ? 5 : n >= 1e5 ? 9 : 21);

interface Row {
  n: number;
  digits: number;
  computeMs: number;
  decimalMs: number;
  v8DecimalMs: number;
  loopMs?: number;
  gmp?: { computeMs: number; decimalMs: number };
}

function iterative(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

interface Timed {
  computeMs: number;
  decimalMs: number;
  decimal: string;
  /** V8's BigInt toString of the same value, when the worker converts with GMP: what GMP saves. */
  v8DecimalMs?: number;
}

/** The worker's method: its fibonacci() and its toDecimal() (worker/src/decimal.ts), timed apart. */
function timeWorker(n: number): Timed {
  const t0 = performance.now();
  const value = fibonacci(n);
  const t1 = performance.now();
  const decimal = toDecimal(value);
  const t2 = performance.now();
  if (decimalConversion.by === 'v8') return { computeMs: t1 - t0, decimalMs: t2 - t1, decimal };
  const v8 = value.toString();
  const v8DecimalMs = performance.now() - t2;
  if (v8 !== decimal) throw new Error(`F(${n}): GMP's digits (the worker's) differ from V8's toString`);
  return { computeMs: t1 - t0, decimalMs: t2 - t1, decimal, v8DecimalMs };
}

/**
 * The worker's method and GMP's, run by turns (on a shared machine both see the same load), with
 * the medians of each part.
 */
function timeBoth(n: number, gmp: { program: string; dir: string } | undefined) {
  const worker: Timed[] = [];
  const other: Timed[] = [];
  for (let run = 0; run < runsFor(n); run++) {
    worker.push(timeWorker(n));
    if (gmp) other.push(runGmp(gmp.program, gmp.dir, n));
  }
  const medians = (runs: Timed[]) => ({
    computeMs: median(runs.map((run) => run.computeMs)),
    decimalMs: median(runs.map((run) => run.decimalMs)),
    v8DecimalMs: median(runs.map((run) => run.v8DecimalMs ?? run.decimalMs)),
    decimal: runs[0]!.decimal,
  });
  return { worker: medians(worker), gmp: gmp ? medians(other) : undefined };
}

/** Compiles gmp-fib.c; a reason instead when there is no C compiler or no GMP. */
export function buildGmp(dir: string): { program: string } | { skipped: string } | { problem: string } {
  const source = fileURLToPath(new URL('./gmp-fib.c', import.meta.url));
  const program = join(dir, 'gmp-fib');
  const built = spawnSync('cc', ['-O2', '-o', program, source, '-lgmp'], { encoding: 'utf8' });
  if (built.error) return { skipped: `no C compiler (\`cc\`: ${built.error.message})` };
  if (built.status === 0) return { program };
  const said = built.stderr.trim();
  if (/gmp\.h|-lgmp/.test(said)) return { skipped: `GMP not found (Debian: \`apt-get install libgmp-dev\`): ${said}` };
  return { problem: `gmp-fib.c did not compile: ${said}` };
}

export function runGmp(program: string, dir: string, n: number): Timed {
  const file = join(dir, `F${n}.txt`);
  const ran = spawnSync(program, ['1', String(n), file], { encoding: 'utf8' });
  if (ran.status !== 0) throw new Error(`gmp-fib ${n} failed: ${ran.stderr || ran.error?.message}`);
  const out = JSON.parse(ran.stdout) as { digits: number; computeMs: number; decimalMs: number };
  return { ...out, decimal: readFileSync(file, 'utf8') };
}

const ms = (value: number | undefined) =>
  value === undefined ? '-' : value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : value.toFixed(0);

export async function runMathsBench(): Promise<BenchSection> {
  const problems: string[] = [];
  const notes: string[] = [];
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'fibgraph-gmp-'));
  try {
    const gmp = buildGmp(dir);
    if ('skipped' in gmp) notes.push(`GMP skipped: ${gmp.skipped}.`);
    if ('problem' in gmp) problems.push(gmp.problem);
    let previousLoop: { n: number; ms: number } | undefined;
    for (const n of INDEXES) {
      const timed = timeBoth(n, 'program' in gmp ? { program: gmp.program, dir } : undefined);
      const worker = timed.worker;
      const row: Row = {
        n,
        digits: worker.decimal.length,
        computeMs: worker.computeMs,
        decimalMs: worker.decimalMs,
        v8DecimalMs: worker.v8DecimalMs,
      };
      const known = KNOWN[n]!;
      if (worker.decimal.length !== known.digits)
        problems.push(`F(${n}) has ${worker.decimal.length} digits, expected ${known.digits}`);
      if (known.head && !worker.decimal.startsWith(known.head))
        problems.push(`F(${n}) does not start with the known ${known.head}`);
      if (known.tail && !worker.decimal.endsWith(known.tail))
        problems.push(`F(${n}) does not end with the known ${known.tail}`);

      const predicted = previousLoop ? previousLoop.ms * (n / previousLoop.n) ** 2 : 0;
      if (predicted <= LOOP_LIMIT_MS) {
        const runs = n >= 1e5 ? 1 : 5;
        const times: number[] = [];
        let value = 0n;
        for (let run = 0; run < runs; run++) {
          const t0 = performance.now();
          value = iterative(n);
          times.push(performance.now() - t0);
        }
        row.loopMs = median(times);
        previousLoop = { n, ms: row.loopMs };
        if (value.toString() !== worker.decimal) problems.push(`F(${n}): the worker's digits differ from the loop's`);
      } else {
        notes.push(`Iterative loop skipped at n = 10^${Math.log10(n)}: predicted ${(predicted / 1000).toFixed(0)} s.`);
      }

      if (timed.gmp) {
        row.gmp = { computeMs: timed.gmp.computeMs, decimalMs: timed.gmp.decimalMs };
        if (timed.gmp.decimal !== worker.decimal) problems.push(`F(${n}): the worker's digits differ from GMP's`);
      }
      rows.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report(rows, notes, problems);
}

function report(rows: Row[], notes: string[], problems: string[]): BenchSection {
  const total = (row: Row) => row.computeMs + row.decimalMs;
  const gmpTotal = (row: Row) => (row.gmp ? row.gmp.computeMs + row.gmp.decimalMs : undefined);
  const ratio = (row: Row) => (row.gmp ? total(row) / gmpTotal(row)! : undefined);
  const million = rows.find((row) => row.n === 1e6)!;
  const millionRatio = ratio(million);
  const lines = [
    `Median of 21 runs (n <= 10^4), 9 (10^5), 5 (10^6), 3 (10^7), the worker's method (node ${process.version})`,
    'and GMP by turns;',
    'the iterative loop (`a, b = b, a + b`) runs once from 10^5 on. The worker computes with',
    '`fibonacci()` (packages/core/src/fibonacci.ts: doubling with two squarings per bit, one',
    "multiplication for the last step, as GMP's `mpz_fib_ui`) and turns the value into decimal with",
    decimalConversion.by === 'gmp'
      ? "`toDecimal()` (worker/src/decimal.ts: GMP's `mpz_get_str` through the worker's addon, worker/native/decimal.c);"
      : `V8's \`BigInt.prototype.toString\` (the worker's GMP addon is not built here: ${decimalConversion.why});`,
    'the V8 column is `BigInt.prototype.toString` of the same value, what the worker used before its addon. GMP is',
    "`mpz_fib_ui` + `mpz_get_str` (scripts/bench/gmp-fib.c, `cc -O2 -lgmp`). Every digit of the worker's value is",
    "compared with V8's, GMP's and the loop's, and with known digit counts and edges.",
    '',
    '| n | digits | worker compute ms | worker decimal ms | V8 toString ms | iterative ms | GMP compute ms | GMP decimal ms | worker / GMP |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| 10^${Math.log10(row.n)} | ${row.digits.toLocaleString('en-US')} | ${ms(row.computeMs)} | ${ms(row.decimalMs)} | ` +
        `${ms(row.v8DecimalMs)} | ${ms(row.loopMs)} | ${ms(row.gmp?.computeMs)} | ${ms(row.gmp?.decimalMs)} | ` +
        `${ratio(row) === undefined ? '-' : `${ratio(row)!.toFixed(1)}x`} |`,
    ),
    '',
    ...notes.map((note) => `- ${note}`),
  ];
  if (million.gmp) {
    lines.push(
      '',
      [
        `Where the time goes at 10^6: the worker's compute (V8's BigInt multiplication) takes ${ms(million.computeMs)} ms`,
        `against GMP's ${ms(million.gmp.computeMs)} ms; its decimal conversion ${ms(million.decimalMs)} ms against`,
        `GMP's ${ms(million.gmp.decimalMs)} ms${decimalConversion.by === 'gmp' ? ' (the same library call)' : ''}.`,
        `V8's own toString would take ${ms(million.v8DecimalMs)} ms, alone`,
        `${(million.v8DecimalMs / gmpTotal(million)!).toFixed(1)}x GMP's whole compute + decimal: a`,
        'divide-and-conquer conversion written in JavaScript with BigInt division was no faster (tried in an',
        'earlier session), nor was gmp-wasm 1.3.2 (and it took 370 ms to load), hence the addon.',
      ].join(' '),
    );
  }
  const series = (name: string, y: (row: Row) => number | undefined) => ({
    name,
    points: rows.flatMap((row): [number, number][] => (y(row) === undefined ? [] : [[row.n, y(row)!]])),
  });
  return {
    title: 'Fibonacci: the worker against GMP and an iterative loop',
    markdown: lines.join('\n'),
    figures: [
      {
        figure: 'F(10^6) compute + decimal: worker vs GMP',
        measured:
          millionRatio === undefined
            ? `${ms(total(million))} ms (GMP not available)`
            : `${ms(total(million))} ms vs ${ms(gmpTotal(million))} ms (${millionRatio.toFixed(1)}x)`,
        target: `<= ${TARGET_RATIO}x GMP`,
        met: millionRatio === undefined ? null : millionRatio <= TARGET_RATIO,
      },
    ],
    charts: [
      {
        file: 'fibonacci.svg',
        title: 'F(n): compute + decimal',
        xLabel: 'n',
        yLabel: 'ms',
        logX: true,
        logY: true,
        series: [
          series('worker', total),
          series("worker with V8's toString", (row) => row.computeMs + row.v8DecimalMs),
          series('iterative', (row) => row.loopMs),
          series('GMP', gmpTotal),
        ],
      },
    ],
    problems,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await runMathsBench();
  console.log(`## ${section.title}\n\n${section.markdown}\n`);
  for (const figure of section.figures)
    console.log(`${figure.figure}: ${figure.measured} (target ${figure.target}, met: ${figure.met})`);
  for (const problem of section.problems) console.log(`PROBLEM: ${problem}`);
  if (section.problems.length > 0) process.exitCode = 1;
}
