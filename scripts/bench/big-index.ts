/**
 * The big-index part of `npm run bench`: F(n) near 10^6 (the largest indexes MAX_INDEX allows),
 * submitted through nginx, timed from sending the POST to its valueCalculated event, against GMP's
 * compute + decimal of F(10^6) in the same run (scripts/bench/gmp-fib.c via maths.ts).
 *   npx tsx scripts/bench/big-index.ts     this part alone (run `npm run build` first)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CalculatedSubscriber, Deadline, GraphQLClients, loadAddress, outcomeOf, runAlone } from './load.js';
import { buildGmp, runGmp } from './maths.js';
import type { BenchPart, BenchSection } from './section.js';
import { distribution, FibonacciCheck, ms } from './stats.js';

/** Indexes 999,990 down: no other part submits them. The first is not counted (warm-up). */
const RUNS = 16;
const TARGET_RATIO = 3;
/** One address a run (the gateway lets each address submit a few a second), beyond the throughput part's block. */
const from = (run: number) => loadAddress(5_000 + run);

export const bigIndexBench: BenchPart = async (stack) => {
  const deadline = new Deadline(120_000);
  const clients = new GraphQLClients(stack.baseUrl, deadline);
  const subscriber = new CalculatedSubscriber();
  const problems: string[] = [];
  const check = new FibonacciCheck();
  try {
    await subscriber.open(stack.baseUrl, from(RUNS), clients, deadline);
    const samples: number[] = [];
    for (let run = 0; run < RUNS && !deadline.passed(); run++) {
      const index = 999_990 - run;
      const sentAt = performance.now();
      const answer = await clients.submit(from(run), index);
      if (outcomeOf(answer) !== 'ok') {
        problems.push(`submitValue(${index}): ${outcomeOf(answer)}`);
        continue;
      }
      while (!subscriber.heard.has(index) && !deadline.passed()) await deadline.sleep(2);
      const heard = subscriber.heard.get(index);
      if (!heard) {
        problems.push(`F(${index}) accepted, no event within the part's time limit`);
        continue;
      }
      const wrong = check.problem(heard.event);
      if (wrong) problems.push(wrong);
      if (run > 0) samples.push(heard.at - sentAt);
    }
    return section(distribution(samples), gmpMs(), problems, subscriber.closedEarly);
  } finally {
    subscriber.close();
    clients.close();
  }
};

/** GMP's compute + decimal of F(10^6), median of 9, or why there is none. */
function gmpMs(): number | string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fibgraph-gmp-'));
  try {
    const built = buildGmp(dir);
    if (!('program' in built)) return 'skipped' in built ? built.skipped : built.problem;
    runGmp(built.program, dir, 1e6);
    const runs = Array.from({ length: 9 }, () => runGmp(built.program, dir, 1e6));
    const totals = runs.map((r) => r.computeMs + r.decimalMs).sort((a, b) => a - b);
    return totals[4]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function section(
  toEvent: ReturnType<typeof distribution>,
  gmp: number | string,
  problems: string[],
  closedEarly: string | null,
): BenchSection {
  if (closedEarly) problems.push(`the subscriber's socket: ${closedEarly}`);
  const ratio = typeof gmp === 'number' ? toEvent.p50 / gmp : undefined;
  return {
    title: 'F(10^6): submit -> live event',
    markdown: [
      `Fresh indexes 999,990 down to ${(999_990 - RUNS + 1).toLocaleString('en-US')}, one at a time through nginx, each timed from sending`,
      '`submitValue` to its `valueCalculated` event on a graphql-ws subscriber (the first run not counted).',
      'The worker computes F(n), turns it into decimal, compresses and stores it, then publishes; see the',
      'Fibonacci section for how its maths compares with GMP.',
      '',
      `| samples | p50 | p90 | max | GMP F(10^6) compute + decimal, same run | p50 / GMP |`,
      `|---:|---:|---:|---:|---:|---:|`,
      `| ${toEvent.n} | ${ms(toEvent.p50)} | ${ms(toEvent.p90)} | ${ms(toEvent.max)} | ${typeof gmp === 'number' ? ms(gmp) : gmp} | ${ratio ? `${ratio.toFixed(1)}x` : '-'} |`,
    ].join('\n'),
    figures: [
      {
        figure: 'F(10^6), submit -> event (p50)',
        measured: ratio ? `${ms(toEvent.p50)}, ${ratio.toFixed(1)}x GMP's compute + decimal` : ms(toEvent.p50),
        target: `<= ${TARGET_RATIO}x GMP, same run`,
        met: ratio === undefined ? null : ratio <= TARGET_RATIO,
      },
    ],
    charts: [],
    problems,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAlone(bigIndexBench);
