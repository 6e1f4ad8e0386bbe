/**
 * Fan-out: how many live subscribers the stack holds, and how fast each hears every event of a
 * burst. BENCH_SUBSCRIBERS (default 10,000) graphql-ws subscribers to valueCalculated, as the web
 * page subscribes, each from a loopback address of its own (127.60.0.0/14) so nginx's per-address
 * limits act as they would for that many people; the crowd is split over a few child processes
 * (fanout-crowd.ts, BENCH_FANOUT_PROCS) so the client is not what is measured. Then 50 fresh
 * submissions at once, each from an address of its own, and for every subscriber when each of the
 * 50 events reached it, counted from that index's submission. RSS of every gateway, worker and
 * nginx process is sampled throughout. One deadline bounds it all (BENCH_FANOUT_DEADLINE_S,
 * default 300); every socket is closed at the end.
 *
 * Alone: `npm run build && npx tsx scripts/bench/fanout.ts` starts the bench stack and prints the section.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMb } from '../../e2e/procs.js';
import type { CrowdCommand, CrowdReport } from './fanout-crowd.js';
import { FreshIndexes } from './load.js';
import type { BenchPart, BenchSection, BenchStack, Figure } from './section.js';
import { count, percentile, wholeMs } from './stats.js';
import { cpuMsOf, usedSince } from './watch.js';

const BURST = 50;
const WARM_UP = 5;
const TARGET_MS = 2_000;
const RSS_TARGET_MB = 128;
/** After the last submission, how long the bench waits for every event to reach everyone. */
const DELIVERY_WAIT_MS = 30_000;
const PROBE_EVERY_MS = 250;
const SUBSCRIPTION = `subscription Fanout($after: ID) {
  valueCalculated(after: $after) { index status digits preview cursor computeMs updatedAt error }
}`;

const ms = wholeMs;
const delay = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, msToWait)));

interface GraphQLAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One GraphQL request through nginx from `from`, a connection of its own. */
function graphql<T>(
  baseUrl: string,
  from: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: GraphQLAnswer<T> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, localAddress: from, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += String(chunk)));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as GraphQLAnswer<T> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { errors: [{ message: body.slice(0, 200) }] } });
          }
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
}

/** Max VmRSS (MB) of each process of the roles watched, sampled until stopped. */
function sampleRss(stack: BenchStack) {
  const max = new Map<number, { role: string; mb: number }>();
  const sample = () => {
    for (const { role, pid } of stack.processes()) {
      if (role !== 'gateway' && role !== 'worker' && role !== 'nginx') continue;
      const mb = rssMb(pid) ?? 0;
      if (mb > (max.get(pid)?.mb ?? 0)) max.set(pid, { role, mb });
    }
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return [...max.entries()].map(([pid, { role, mb }]) => ({ pid, role, mb }));
    },
  };
}

/**
 * Whether the stack still answers others while it delivers: a `{ __typename }` POST through nginx
 * on a new connection, from an address of its own, every PROBE_EVERY_MS until stopped; the times
 * they took (Infinity: no answer).
 */
function probeEvery(baseUrl: string) {
  const took: number[] = [];
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const timer = setInterval(() => {
    const sentAt = Date.now();
    const probe: Promise<void> = graphql(baseUrl, `127.59.4.${(sent++ % 250) + 1}`, '{ __typename }')
      .then(
        ({ status }) => void took.push(status === 200 ? Date.now() - sentAt : Infinity),
        () => void took.push(Infinity),
      )
      .finally(() => pending.delete(probe));
    pending.add(probe);
  }, PROBE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return took.sort((a, b) => a - b);
    },
  };
}

/**
 * `n` indexes no one has submitted on this stack (calculation(index) is null), small and distinct,
 * claimed from the other parts of this run (FreshIndexes).
 */
async function freshIndexes(stack: BenchStack, n: number, deadline: number): Promise<number[]> {
  const { baseUrl } = stack;
  const fresh = FreshIndexes.of(stack);
  const found: number[] = [];
  // A different stretch each run, so that a second run against the same stack finds fresh ones quickly.
  let index = 1_000 + Math.floor(Math.random() * 8_000);
  for (let i = 0; found.length < n && Date.now() < deadline; i += 1, index += 1) {
    const { body } = await graphql<{ calculation: unknown }>(
      baseUrl,
      `127.59.2.${(i % 250) + 1}`,
      'query Fresh($index: Int!) { calculation(index: $index) { status } }',
      { index },
    );
    if (body.data && body.data.calculation === null) {
      found.push(index);
      fresh.claim(index);
    }
  }
  return found;
}

interface Crowd {
  child: ChildProcess;
  /** Reports not yet taken by nextReport, oldest first. */
  inbox: CrowdReport[];
  /** Wakes the nextReport waiting on this crowd, if any. */
  wake: () => void;
  ended: boolean;
}

function startCrowd(): Crowd {
  const child = fork(fileURLToPath(new URL('./fanout-crowd.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const crowd: Crowd = { child, inbox: [], wake: () => undefined, ended: false };
  child.on('message', (report: CrowdReport) => {
    crowd.inbox.push(report);
    crowd.wake();
  });
  child.on('exit', () => {
    crowd.ended = true;
    crowd.wake();
  });
  return crowd;
}

/** The next report of `type` from a crowd, or undefined at the deadline or if it ended. */
async function nextReport<T extends CrowdReport['type']>(
  crowd: Crowd,
  type: T,
  deadline: number,
): Promise<Extract<CrowdReport, { type: T }> | undefined> {
  for (;;) {
    const at = crowd.inbox.findIndex((report) => report.type === type);
    if (at >= 0) return crowd.inbox.splice(at, 1)[0] as Extract<CrowdReport, { type: T }>;
    const left = deadline - Date.now();
    if (left <= 0 || crowd.ended) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      crowd.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

export const fanoutBench: BenchPart = async (stack) => {
  const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
  const procs = Math.max(1, Number(process.env.BENCH_FANOUT_PROCS ?? 3));
  const deadline = Date.now() + Number(process.env.BENCH_FANOUT_DEADLINE_S ?? 300) * 1_000;
  const problems: string[] = [];

  const found = await freshIndexes(stack, BURST + WARM_UP, deadline);
  // A few submissions first, one at a time, so that the burst does not measure a cold gateway.
  for (const [i, index] of found.slice(BURST).entries()) {
    await graphql(
      stack.baseUrl,
      `127.59.3.${i + 1}`,
      'mutation Warm($index: Int!) { submitValue(index: $index) { status } }',
      {
        index,
      },
    );
  }
  const indexes = found.slice(0, BURST);
  if (indexes.length < BURST)
    problems.push(`found only ${indexes.length} fresh indexes of ${BURST} before the deadline`);
  const { body: cursorAnswer } = await graphql<{ feedCursor: string }>(stack.baseUrl, '127.59.0.1', '{ feedCursor }');
  const after = cursorAnswer.data?.feedCursor ?? null;

  const rss = sampleRss(stack);
  const baseline = rss.stop();
  const during = sampleRss(stack);
  const crowds = Array.from({ length: procs }, startCrowd);
  try {
    // Open: each crowd its share, a few sockets at a time each.
    const openedAt = Date.now();
    const share = Math.ceil(subscribers / procs);
    crowds.forEach(({ child }, i) => {
      const command: CrowdCommand = {
        type: 'open',
        url: `${stack.baseUrl.replace(/^http/, 'ws')}/api/graphql`,
        first: i * share,
        count: Math.max(0, Math.min(share, subscribers - i * share)),
        concurrency: Number(process.env.BENCH_FANOUT_CONCURRENCY ?? 32),
        query: SUBSCRIPTION,
        variables: { after },
        indexes,
        deadline,
      };
      child.send(command);
    });
    const opened = await Promise.all(crowds.map((crowd) => nextReport(crowd, 'opened', deadline)));
    const openMs = Date.now() - openedAt;
    const open = opened.reduce((sum, report) => sum + (report?.open ?? 0), 0);
    const refused: Record<string, number> = {};
    for (const report of opened) {
      for (const [reason, n] of Object.entries(report?.refused ?? {})) refused[reason] = (refused[reason] ?? 0) + n;
    }
    if (opened.some((report) => !report)) refused['crowd process gave no answer by the deadline'] = 1;

    // Every subscribe message is in flight; let the gateways put each in place (a replay read each).
    await delay(Math.min(3_000, deadline - Date.now()));

    // The burst: every submission at once, each from its own address.
    const cpuOf = (wanted: string) =>
      cpuMsOf(stack.processes().flatMap(({ role, pid }) => (role === wanted ? [pid] : [])));
    const gatewayCpu = cpuOf('gateway');
    const nginxCpu = cpuOf('nginx');
    const crowdCpu = cpuMsOf(crowds.flatMap(({ child }) => (child.pid ? [child.pid] : [])));
    const probes = probeEvery(stack.baseUrl);
    const submittedAt = new Map<number, number>();
    const accepted: number[] = [];
    const answeredIn: number[] = [];
    const rejected: string[] = [];
    await Promise.all(
      indexes.map(async (index, i) => {
        submittedAt.set(index, Date.now());
        try {
          const { status, body } = await graphql<{ submitValue: { status: string } }>(
            stack.baseUrl,
            `127.59.1.${i + 1}`,
            'mutation Submit($index: Int!) { submitValue(index: $index) { status } }',
            { index },
          );
          answeredIn.push(Date.now() - (submittedAt.get(index) ?? 0));
          if (body.data?.submitValue) accepted.push(index);
          else rejected.push(`${index}: HTTP ${status} ${body.errors?.[0]?.message ?? ''}`.trim());
        } catch (error) {
          rejected.push(`${index}: ${(error as Error).message}`);
        }
      }),
    );
    const burstEnd = Date.now();
    answeredIn.sort((a, b) => a - b);
    for (const { child } of crowds) child.send({ type: 'expect', indexes: accepted } satisfies CrowdCommand);
    const waitUntil = Math.min(deadline, burstEnd + DELIVERY_WAIT_MS);
    await Promise.all(crowds.map((crowd) => nextReport(crowd, 'complete', waitUntil)));
    const rssDuring = during.stop();
    const deliveredAt = Date.now();
    const probed = await probes.stop();
    const gatewayMs = usedSince(gatewayCpu);
    const nginxMs = usedSince(nginxCpu);
    const burstMs = deliveredAt - Math.min(...submittedAt.values());
    const crowdMs = usedSince(crowdCpu);

    for (const { child } of crowds) child.send({ type: 'report' } satisfies CrowdCommand);
    const reports = await Promise.all(crowds.map((crowd) => nextReport(crowd, 'arrivals', Date.now() + 60_000)));

    // Per subscriber: when the last of the accepted events reached it, from that event's submission.
    const slots = accepted.map((index) => indexes.indexOf(index));
    const lastArrival: number[] = [];
    const everyArrival: number[] = [];
    let gotAll = 0;
    let missed = 0;
    let dropped = 0;
    let eventErrors = 0;
    for (const report of reports) {
      if (!report) {
        problems.push('a crowd process did not report its arrivals');
        continue;
      }
      dropped += report.dropped;
      eventErrors += report.errors;
      for (const arrivals of report.arrivals) {
        let last = -Infinity;
        let all = true;
        for (const slot of slots) {
          const at = arrivals[slot];
          if (at == null) {
            all = false;
            missed += 1;
            continue;
          }
          const took = at - (submittedAt.get(indexes[slot] ?? -1) ?? at);
          everyArrival.push(took);
          last = Math.max(last, took);
        }
        if (all) {
          gotAll += 1;
          lastArrival.push(last);
        }
      }
    }
    lastArrival.sort((a, b) => a - b);
    everyArrival.sort((a, b) => a - b);
    const within = lastArrival.filter((took) => took <= TARGET_MS).length;
    if (missed > 0) {
      problems.push(
        `${count(missed)} events of accepted submissions never reached their subscriber (${count(open - gotAll)} of ${count(open)} subscribers missed one or more)`,
      );
    }
    if (eventErrors > 0) problems.push(`${count(eventErrors)} events carried errors`);

    const peak = (role: string, samples: { role: string; mb: number }[]) =>
      Math.max(0, ...samples.filter((s) => s.role === role).map((s) => s.mb));
    const roles = ['gateway', 'worker', 'nginx'] as const;
    const rssRows = roles.flatMap((role) =>
      rssDuring
        .filter((s) => s.role === role)
        .map((s) => {
          const before = baseline.find((b) => b.pid === s.pid)?.mb;
          return `| ${role} ${s.pid} | ${before === undefined ? '-' : before.toFixed(0)} MB | ${s.mb.toFixed(0)} MB |`;
        }),
    );
    const gatewayMb = peak('gateway', rssDuring);
    const workerMb = peak('worker', rssDuring);
    const allWithin = open === subscribers && gotAll === open && within === open && accepted.length === BURST;

    const figures: Figure[] = [
      {
        figure: `subscribers held / each gets ${BURST}-event burst within 2 s`,
        measured: `${count(open)} held; ${count(within)} got all ${BURST} within 2 s (p99 ${ms(percentile(lastArrival, 99))})`,
        target: `${count(subscribers)}, all within 2 s`,
        met: allWithin,
      },
      {
        figure: 'gateway RSS under load',
        measured: `${gatewayMb.toFixed(0)} MB`,
        target: `<= ${RSS_TARGET_MB} MB`,
        met: gatewayMb > 0 ? gatewayMb <= RSS_TARGET_MB : null,
      },
      {
        figure: 'worker RSS under load',
        measured: `${workerMb.toFixed(0)} MB`,
        target: `<= ${RSS_TARGET_MB} MB`,
        met: workerMb > 0 ? workerMb <= RSS_TARGET_MB : null,
      },
    ];
    const refusedText = Object.entries(refused)
      .map(([reason, n]) => `${count(n)} ${reason}`)
      .join(', ');
    const markdown = [
      `${count(subscribers)} graphql-ws subscribers to \`valueCalculated(after: feedCursor)\` (the web page's`,
      `subscription), each from its own loopback address, opened through nginx by ${procs} client processes,`,
      `${process.env.BENCH_FANOUT_CONCURRENCY ?? 32} sockets at a time each; then ${BURST} fresh submissions at once,`,
      "each from its own address. Delivery is counted from each index's submission to its event's arrival",
      '(both `Date.now()` on this machine); "last event" is when a subscriber had the whole burst.',
      '',
      `- Opened: ${count(open)} of ${count(subscribers)} in ${(openMs / 1000).toFixed(1)} s` +
        (refusedText ? `; not held: ${refusedText}` : '; none refused'),
      `- Burst: ${accepted.length} of ${indexes.length} submissions accepted in ${ms(burstEnd - Math.min(...submittedAt.values()))}` +
        ` (each answered in p50 ${ms(percentile(answeredIn, 50))}, max ${ms(percentile(answeredIn, 100))})` +
        (rejected.length ? ` (refused: ${rejected.slice(0, 3).join('; ')})` : ''),
      `- Meanwhile, a \`{ __typename }\` on a new connection every ${PROBE_EVERY_MS} ms (${probed.length}): answered in` +
        ` p50 ${ms(percentile(probed, 50))}, max ${ms(percentile(probed, 100))}` +
        (probed.some((took) => took === Infinity)
          ? `, ${probed.filter((took) => took === Infinity).length} not answered`
          : ''),
      `- Subscribers that got all ${accepted.length}: ${count(gotAll)} of ${count(open)}; within 2 s: ${count(within)}` +
        ` (${open ? ((100 * within) / open).toFixed(1) : '0'}%); sockets closed under load: ${count(dropped)}`,
      `- CPU from the burst until the last delivery (${ms(burstMs)}): gateways ${ms(gatewayMs)}` +
        ` (${everyArrival.length ? ((gatewayMs * 1_000) / everyArrival.length).toFixed(1) : '-'} µs per event delivered),` +
        ` nginx ${ms(nginxMs)}, the ${procs} client processes ${ms(crowdMs)} in all (the machine's ${os.cpus().length} cores had ${ms(os.cpus().length * burstMs)})`,
      '',
      '| delivery | p50 | p90 | p99 | max |',
      '|---|---|---|---|---|',
      `| last event of the burst, per subscriber | ${[50, 90, 99, 100].map((p) => ms(percentile(lastArrival, p))).join(' | ')} |`,
      `| every event | ${[50, 90, 99, 100].map((p) => ms(percentile(everyArrival, p))).join(' | ')} |`,
      '',
      '| process | RSS before the crowd | max RSS during crowd and burst |',
      '|---|---|---|',
      ...rssRows,
    ].join('\n');
    const curve = (sorted: number[]) =>
      [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100].flatMap((p): [number, number][] =>
        sorted.length ? [[p, percentile(sorted, p)]] : [],
      );
    return {
      title: 'Fan-out: subscribers held and burst delivery',
      markdown,
      figures,
      charts: [
        {
          file: 'fanout.svg',
          title: `Delivery of a ${BURST}-event burst to ${count(open)} subscribers`,
          xLabel: 'percentile of subscribers / events',
          yLabel: 'ms after submission',
          series: [
            { name: 'last event of the burst, per subscriber', points: curve(lastArrival) },
            { name: 'every event', points: curve(everyArrival) },
          ],
        },
      ],
      problems,
    } satisfies BenchSection;
  } finally {
    during.stop();
    for (const { child } of crowds) {
      if (child.connected) child.send({ type: 'close' } satisfies CrowdCommand);
    }
    await Promise.all(
      crowds.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => (clearTimeout(kill), resolve()));
          }),
      ),
    );
  }
};

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/bench/fanout.ts')) {
  const { withBenchStack } = await import('./stack.js');
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-fanout-'));
  const section = await withBenchStack({}, logDir, fanoutBench);
  console.log(`## ${section.title}\n\n${section.markdown}\n`);
  for (const figure of section.figures) {
    console.log(`- ${figure.figure}: ${figure.measured} (target ${figure.target}, met: ${figure.met})`);
  }
  for (const problem of section.problems) console.log(`PROBLEM: ${problem}`);
  console.log(`(stack log: ${logDir}/stack.log)`);
  process.exitCode = section.problems.length > 0 ? 1 : 0;
}
