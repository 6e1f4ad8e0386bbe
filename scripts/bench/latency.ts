/**
 * How soon a result appears: a fresh small index submitted through nginx, timed from sending the
 * POST to its valueCalculated event on a subscriber's socket, against the floor, a bare
 * `{ __typename }` POST round trip through nginx. The two are sampled in turn (one floor sample,
 * then one submission), so the machine's other load weighs on both alike. Requests rotate over
 * enough addresses that neither nginx's 20 r/s nor the gateway's 2 submissions/s per address bites.
 *   npx tsx scripts/bench/latency.ts      alone, against a bench stack of its own (npm run build first)
 */
import { pathToFileURL } from 'node:url';
import type { BenchPart, BenchSection } from './section.js';
import {
  CalculatedSubscriber,
  Deadline,
  FreshIndexes,
  GraphQLClients,
  loadAddress,
  outcomeOf,
  runAlone,
  computedBefore,
} from './load.js';
import { roundTrips, servicesNow, assertNoRestart } from './watch.js';
import { distribution, distributionRow, DISTRIBUTION_HEADER, FibonacciCheck, ms, type Distribution } from './stats.js';

const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 500);
const WARMUP = 30;
/** Addresses 0..199 of the load block: at ~1 ms a request, each sees a few requests a second. */
const ADDRESSES = 200;
const SUBSCRIBER_ADDRESS = loadAddress(250);
const TIME_LIMIT_MS = 180_000;
const LATE_MS = 2_000;
/** Round trips to Redis and to Postgres timed alone, after the rounds (see `roundTrips`). */
const ROUND_TRIPS = 300;
/**
 * Redis round trips a fresh submission makes one after another: the gateway's caps check (the
 * rate limit beside it), its enqueue, the worker's begin and its commit (which publishes), plus
 * one for the two one-way hops (Redis waking the worker's blocked read; the published event
 * reaching the gateway's subscriber connection).
 */
const REDIS_IN_TURN = 5;

/** The round trips timed alone, or why they could not be. */
type Alone = { redis: Distribution; postgres: Distribution } | string;

export const latencyBench: BenchPart = async (stack) => {
  const deadline = new Deadline(TIME_LIMIT_MS);
  const clients = new GraphQLClients(stack.baseUrl, deadline);
  const waiting = new Map<number, (at: number) => void>();
  const subscriber = new CalculatedSubscriber((event, at) => waiting.get(event.index)?.(at));
  try {
    const services = servicesNow(stack);
    await subscriber.open(stack.baseUrl, SUBSCRIBER_ADDRESS, clients, deadline);
    const addresses = Array.from({ length: ADDRESSES }, (_, n) => loadAddress(n));
    // Every address's connection opened before anything is timed.
    await Promise.all(addresses.map((from) => clients.post(from, '{ __typename }')));

    const indexes = FreshIndexes.of(stack).small(WARMUP + SAMPLES);
    const floor: number[] = [];
    const toEvent: number[] = [];
    const mutation: number[] = [];
    const failures = new Map<string, number>();
    const late: number[] = [];
    const sentWall = new Map<number, number>();
    const check = new FibonacciCheck();
    for (const [i, index] of indexes.entries()) {
      if (deadline.passed()) break;
      const from = addresses[i % ADDRESSES]!;
      const bare = await clients.post(from, '{ __typename }');
      const heard = new Promise<number | null>((resolve) => {
        const heardAt = subscriber.heard.get(index)?.at;
        if (heardAt !== undefined) return resolve(heardAt);
        // A late event is not a sample; whether it comes at all is checked at the end.
        const timer = setTimeout(() => resolve(null), Math.min(LATE_MS, deadline.left()));
        waiting.set(index, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      sentWall.set(index, Date.now());
      const sentAt = performance.now();
      const answer = await clients.submit(addresses[(i + ADDRESSES / 2) % ADDRESSES]!, index);
      const outcome = outcomeOf(answer);
      // Its answer may say DONE already (the worker was quicker than the gateway's last read): its
      // event comes all the same.
      let at: number | null = null;
      if (outcome !== 'ok') failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
      else if ((at = await heard) === null) late.push(index);
      waiting.delete(index);
      if (i < WARMUP || at === null || outcomeOf(bare) !== 'ok') continue;
      floor.push(bare.ms);
      mutation.push(answer.ms);
      toEvent.push(at - sentAt);
    }
    const lastWait = new Deadline(Math.min(10_000, deadline.left()));
    while (late.some((index) => !subscriber.heard.has(index)) && !lastWait.passed()) await lastWait.sleep(50);
    const missing = late.filter((index) => !subscriber.heard.has(index));
    const notFresh = await computedBefore(clients, addresses, missing, (index) => sentWall.get(index) ?? 0);
    const unheard = missing.filter((index) => !notFresh.has(index));
    const alone = await roundTrips(stack, ROUND_TRIPS).then(
      (trips) => ({ redis: distribution(trips.redis), postgres: distribution(trips.postgres) }),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    assertNoRestart(stack, services);
    return section(distribution(floor), distribution(toEvent), distribution(mutation), alone, {
      failures,
      unheard,
      late: late.length,
      notFresh: notFresh.size,
      wrong: [...subscriber.heard.values()].flatMap(({ event }) => check.problem(event) ?? []),
      subscriber: subscriber.closedEarly,
      repeats: subscriber.repeats,
    });
  } finally {
    subscriber.close();
    clients.close();
  }
};

function section(
  floor: Distribution,
  toEvent: Distribution,
  mutation: Distribution,
  alone: Alone,
  found: {
    failures: Map<string, number>;
    unheard: number[];
    late: number;
    notFresh: number;
    wrong: string[];
    subscriber: string | null;
    repeats: number;
  },
): BenchSection {
  const ratio = toEvent.p50 / floor.p50;
  const problems = [
    ...(found.unheard.length > 0
      ? [
          `${found.unheard.length} accepted submissions never reached the subscriber: F(${found.unheard.slice(0, 5).join('), F(')})`,
        ]
      : []),
    ...found.wrong.slice(0, 10),
    ...(found.repeats > 0 ? [`the subscriber got ${found.repeats} events twice`] : []),
    ...(found.subscriber ? [`the subscriber's ${found.subscriber}`] : []),
  ];
  const failed = [...found.failures].map(([what, n]) => `${n} x ${what}`).join(', ');
  const markdown = [
    `Through nginx on ${'`'}/api/graphql${'`'}, one request at a time, after ${WARMUP} unrecorded rounds. Each round:`,
    `a ${'`'}{ __typename }${'`'} POST (the floor: nginx, the gateway's HTTP and GraphQL layers, nothing`,
    `stored), then ${'`'}submitValue${'`'} of a small index never submitted to this stack (random, 1..5,000), timed`,
    `from sending the POST to that index's ${'`'}valueCalculated${'`'} event on one graphql-ws subscriber (opened`,
    `through nginx beforehand). Both ride warm keep-alive connections from ${ADDRESSES} loopback`,
    `addresses in turn, so no per-address limit is reached.`,
    '',
    DISTRIBUTION_HEADER,
    distributionRow('floor: `{ __typename }` round trip', floor),
    distributionRow('submit -> live event', toEvent),
    distributionRow('`submitValue` answer (same requests)', mutation),
    '',
    `submit -> live event p50 is ${ratio.toFixed(2)}x the floor's p50.` +
      (failed ? ` Requests not answered with data: ${failed}.` : '') +
      (found.late ? ` ${found.late} events came later than ${LATE_MS / 1000} s (not in the samples).` : '') +
      (found.notFresh ? ` ${found.notFresh} indexes had been computed before (not fresh; no event due).` : ''),
    '',
    ...physicalLimit(floor, toEvent, alone),
  ].join('\n');
  return {
    title: 'Latency: submit -> live event against the floor',
    markdown,
    figures: [
      {
        figure: '`{ __typename }` round trip through nginx (the floor), p50 / p99',
        measured: `${ms(floor.p50)} / ${ms(floor.p99)}`,
        target: '-',
        met: null,
      },
      {
        figure: 'submit -> live event p50 / floor p50',
        measured: `${ratio.toFixed(1)}x (${ms(toEvent.p50)} / ${ms(floor.p50)})`,
        target: '<= 2x',
        met: ratio <= 2,
      },
      {
        figure: 'submit -> live event p99',
        measured: ms(toEvent.p99),
        target: '< 10 ms',
        met: toEvent.p99 < 10,
      },
    ],
    charts: [
      {
        file: 'latency.svg',
        title: 'Latency through nginx, one request at a time',
        xLabel: 'percentile',
        yLabel: 'ms',
        series: [
          { name: 'floor: { __typename }', points: floor.curve },
          { name: 'submit -> live event', points: toEvent.curve },
        ],
      },
    ],
    problems,
  };
}

/**
 * The least submit -> live event could take here: the round trips a fresh submission makes one
 * after another, each timed alone, with none of the gateway's, the worker's or nginx's own work.
 */
function physicalLimit(floor: Distribution, toEvent: Distribution, alone: Alone): string[] {
  if (typeof alone === 'string') return [`The round trips to Redis and Postgres alone could not be timed: ${alone}.`];
  const least = floor.p50 + REDIS_IN_TURN * alone.redis.p50 + alone.postgres.p50;
  return [
    `What no fresh submission goes without, timed alone from this process after the rounds (${ROUND_TRIPS} each, one at a time):`,
    '',
    DISTRIBUTION_HEADER,
    distributionRow('Redis round trip (PING on a plain socket)', alone.redis),
    distributionRow('Postgres INSERT of one row, committed', alone.postgres),
    '',
    `A fresh submission makes, one after another: the floor's HTTP round trip, ${REDIS_IN_TURN} Redis round trips (the`,
    "gateway's caps check and its enqueue; the worker's begin and its commit, which publishes; the worker's",
    "blocked read waking and the event reaching the gateway's subscriber connection, one way each) and one",
    `Postgres commit. Their p50s add up to ${ms(least)}, ${(least / floor.p50).toFixed(2)}x the floor, before any`,
    "processing at all and without the event's way out to the subscriber: that is the least submit -> live",
    `event could be here. The measured p50, ${ms(toEvent.p50)}, is ${(toEvent.p50 / least).toFixed(2)}x that.`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAlone(latencyBench);
