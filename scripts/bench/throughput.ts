/**
 * How many people the system serves at once: BENCH_CONCURRENCY (50) submissions in flight through
 * nginx for BENCH_SECONDS (10) after a warm-up, each a small index never submitted to this stack,
 * each from the next of BENCH_ADDRESSES (4,000) loopback addresses in turn, so that neither nginx's
 * 20 r/s nor the gateway's 2 submissions/s per address answers for the system. Then every
 * accepted index must reach a user: a graphql-ws subscriber opened before the load must hear its
 * event, with the right value, within a minute of the load's end; one that does not is lost.
 *   npx tsx scripts/bench/throughput.ts    alone, against a bench stack of its own (npm run build first)
 */
import { pathToFileURL } from 'node:url';
import type { BenchPart, BenchSection } from './section.js';
import {
  type Answer,
  CalculatedSubscriber,
  Deadline,
  FreshIndexes,
  GraphQLClients,
  loadAddress,
  outcomeOf,
  runAlone,
  computedBefore,
} from './load.js';
import { distribution, distributionRow, DISTRIBUTION_HEADER, FibonacciCheck, ms } from './stats.js';
import { CpuWatch, cpuTable, PostgresWaits, servicesNow, assertNoRestart } from './watch.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
/** At 2 submissions/s per address (the gateway's default), 4,000 carry 8,000/s. */
const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 4_000);
/** Load addresses 1,000 on: 0..999 are the latency part's. */
const FIRST_ADDRESS = 1_000;
const SUBSCRIBER_ADDRESS = loadAddress(999);
/** How long after the load the last accepted result may take to arrive before it counts as lost. */
const ARRIVAL_MS = 60_000;
/** The count bound of the load: no index above this is sent (F(300,000) is already large). */
const LAST_INDEX = 300_000;

interface Sent {
  index: number;
  /** Date.now() as it was sent. */
  sentAt: number;
  answer: Answer<{ submitValue: { index: number } }>;
}

export const throughputBench: BenchPart = async (stack) => {
  const deadline = new Deadline((WARMUP_SECONDS + SECONDS) * 1000 + ARRIVAL_MS + 60_000);
  const clients = new GraphQLClients(stack.baseUrl, deadline);
  const subscriber = new CalculatedSubscriber();
  const cpu = new CpuWatch(stack);
  let watching: NodeJS.Timeout | undefined;
  let waits: Promise<PostgresWaits | null> = Promise.resolve(null);
  try {
    const services = servicesNow(stack);
    await subscriber.open(stack.baseUrl, SUBSCRIBER_ADDRESS, clients, deadline);
    const addresses = Array.from({ length: ADDRESSES }, (_, n) => loadAddress(FIRST_ADDRESS + n));
    const fresh = FreshIndexes.of(stack);
    const sent: Sent[] = [];
    let turn = 0;
    const start = performance.now();
    const measureFrom = start + WARMUP_SECONDS * 1000;
    const stopAt = measureFrom + SECONDS * 1000;
    watching = setTimeout(() => {
      cpu.start();
      waits = PostgresWaits.start(stack);
    }, WARMUP_SECONDS * 1000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt && !deadline.passed()) {
          const index = fresh.large();
          const from = addresses[turn++ % ADDRESSES]!;
          if (index > LAST_INDEX) break;
          const sentAt = Date.now();
          const answer = await clients.submit(from, index);
          sent.push({ index, sentAt, answer });
        }
      }),
    );
    const loadEnded = performance.now();
    clearTimeout(watching);
    const usage = cpu.stop();
    const postgres = (await (await waits)?.stop()) ?? "The stack's database could not be watched.";
    waits = Promise.resolve(null);

    const accepted = sent.filter(({ answer }) => outcomeOf(answer) === 'ok');
    const arrival = new Deadline(Math.min(ARRIVAL_MS, deadline.left()));
    while (accepted.some(({ index }) => !subscriber.heard.has(index)) && !arrival.passed()) await arrival.sleep(100);
    const unheard = accepted.filter(({ index }) => !subscriber.heard.has(index));
    const sentAt = new Map(unheard.map((s) => [s.index, s.sentAt]));
    const notFresh = await computedBefore(clients, addresses, [...sentAt.keys()], (i) => sentAt.get(i) ?? 0);
    let lastArrival = loadEnded;
    for (const { at } of subscriber.heard.values()) lastArrival = Math.max(lastArrival, at);
    assertNoRestart(stack, services);
    return section(
      { start, measureFrom, stopAt, loadEnded, lastArrival },
      { sent, accepted, notFresh },
      subscriber,
      usage,
      postgres,
    );
  } finally {
    clearTimeout(watching);
    await (await waits)?.stop();
    subscriber.close();
    clients.close();
  }
};

function section(
  times: { start: number; measureFrom: number; stopAt: number; loadEnded: number; lastArrival: number },
  { sent, accepted, notFresh }: { sent: Sent[]; accepted: Sent[]; notFresh: Set<number> },
  subscriber: CalculatedSubscriber,
  usage: ReturnType<CpuWatch['stop']>,
  postgres: string,
): BenchSection {
  const inWindow = (at: number) => at >= times.measureFrom && at < times.stopAt;
  const measured = accepted.filter(({ answer }) => inWindow(answer.endedAt));
  const acceptedPerSecond = measured.length / SECONDS;
  const heard = [...subscriber.heard.values()];
  const completedPerSecond = heard.filter(({ at }) => inWindow(at)).length / SECONDS;
  const lost = accepted
    .filter(({ index }) => !subscriber.heard.has(index) && !notFresh.has(index))
    .map(({ index }) => index);
  const check = new FibonacciCheck();
  const acceptedIndexes = new Set(accepted.map(({ index }) => index));
  const wrong = heard.flatMap(({ event }) => (acceptedIndexes.has(event.index) ? (check.problem(event) ?? []) : []));

  const outcomes = new Map<string, { warmup: number; measured: number; after: number }>();
  for (const { answer } of sent) {
    const phase = answer.endedAt < times.measureFrom ? 'warmup' : answer.endedAt < times.stopAt ? 'measured' : 'after';
    const counts = outcomes.get(outcomeOf(answer)) ?? { warmup: 0, measured: 0, after: 0 };
    counts[phase] += 1;
    outcomes.set(outcomeOf(answer), counts);
  }
  const mutation = distribution(measured.map(({ answer }) => answer.ms));
  const client = usage.find((u) => u.role.startsWith('load client'));
  const problems = [
    ...(lost.length > 0
      ? [
          `${lost.length} of ${accepted.length} accepted submissions never reached the subscriber within ${ARRIVAL_MS / 1000} s of the load's end: F(${lost.slice(0, 5).join('), F(')})`,
        ]
      : []),
    ...wrong.slice(0, 10),
    ...(subscriber.repeats > 0 ? [`the subscriber got ${subscriber.repeats} events twice`] : []),
    ...(subscriber.closedEarly ? [`the subscriber's ${subscriber.closedEarly}`] : []),
  ];
  const seconds = Math.ceil((times.lastArrival - times.start) / 1000);
  const buckets = (at: number[]) => {
    const counts = Array.from({ length: seconds }, () => 0);
    for (const t of at) counts[Math.min(seconds - 1, Math.floor((t - times.start) / 1000))]! += 1;
    return counts.map((n, s): [number, number] => [s + 0.5, n]);
  };
  const markdown = [
    `${CONCURRENCY} submissions in flight through nginx, each \`submitValue\` of an index never submitted to this`,
    `stack (counting up from 5,001: small, so the worker's maths is not what is measured), each from the next`,
    `of ${ADDRESSES.toLocaleString('en')} loopback addresses in turn over keep-alive connections, for ${SECONDS} s after a`,
    `${WARMUP_SECONDS} s warm-up. Accepted: answered 200 with data and no errors, counted by the time the answer`,
    `came. Completed: \`valueCalculated\` events heard in the same ${SECONDS} s by one graphql-ws subscriber opened`,
    `through nginx before the load. Lost: accepted and never heard within ${ARRIVAL_MS / 1000} s of the load's end.`,
    '',
    '| accepted/s | completed/s | sent | accepted | lost | wrong | last result after the load ended |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${acceptedPerSecond.toFixed(0)} | ${completedPerSecond.toFixed(0)} | ${sent.length} | ${accepted.length} | ${lost.length} | ${wrong.length} | ${ms(times.lastArrival - times.loadEnded)} |`,
    ...(notFresh.size > 0 ? ['', `${notFresh.size} accepted indexes had been computed before (no event due).`] : []),
    '',
    'Answers by kind (warm-up / measured / after the window):',
    '',
    '| answer | warm-up | measured | after |',
    '|---|---:|---:|---:|',
    ...[...outcomes].map(([what, n]) => `| ${what} | ${n.warmup} | ${n.measured} | ${n.after} |`),
    '',
    `Latency of the accepted \`submitValue\` requests of the ${SECONDS} s window, at ${CONCURRENCY} in flight:`,
    '',
    DISTRIBUTION_HEADER,
    distributionRow(`\`submitValue\` under load, c=${CONCURRENCY}`, mutation),
    '',
    `CPU during the ${SECONDS} s window (2 cores = 200 %; the machine may be shared, so other processes take some):`,
    '',
    cpuTable(usage),
    ...(client && client.percent > 80
      ? ['', `The load client used ${client.percent.toFixed(0)} % of a core: it may be what limits the rate.`]
      : []),
    '',
    `What the Postgres backends of the stack's database did in the same window (\`pg_stat_activity\` every 100 ms;`,
    "`idle in transaction / Client:ClientRead`: holding a transaction open while waiting for the gateway's next statement):",
    '',
    postgres,
  ].join('\n');
  return {
    title: `Throughput: fresh submissions at concurrency ${CONCURRENCY}`,
    markdown,
    figures: [
      {
        figure: `fresh submissions accepted/s, c=${CONCURRENCY}, lost`,
        measured: `${acceptedPerSecond.toFixed(0)}/s, ${lost.length} lost`,
        target: '>= 2,000, 0 lost',
        met: acceptedPerSecond >= 2_000 && lost.length === 0,
      },
      {
        figure: `results completed/s (live events), c=${CONCURRENCY}`,
        measured: `${completedPerSecond.toFixed(0)}/s`,
        target: '-',
        met: null,
      },
      {
        figure: `\`submitValue\` latency under load, c=${CONCURRENCY}, p50 / p99`,
        measured: `${ms(mutation.p50)} / ${ms(mutation.p99)}`,
        target: '-',
        met: null,
      },
    ],
    charts: [
      {
        file: 'throughput.svg',
        title: `Fresh submissions, ${CONCURRENCY} in flight (first ${WARMUP_SECONDS} s: warm-up)`,
        xLabel: 's since the load began',
        yLabel: 'per second',
        series: [
          { name: 'accepted', points: buckets(accepted.map(({ answer }) => answer.endedAt)) },
          { name: 'completed (live events)', points: buckets(heard.map(({ at }) => at)) },
        ],
      },
    ],
    problems,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAlone(throughputBench);
