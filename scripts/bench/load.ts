/**
 * Client side of the load parts of `npm run bench` (latency.ts, throughput.ts): GraphQL over HTTP
 * and graphql-ws through nginx, each request from a loopback address of its own choosing, so that
 * nginx's and the gateway's per-address limits act as they would for many people (ENVIRONMENT.md).
 * Every wait is bounded by one Deadline; every agent and socket is closed by `close()`.
 */
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import WebSocket from 'ws';
import type { BenchPart, BenchStack } from './section.js';

/** One time limit for everything a part does; no wait is longer than what is left of it. */
export class Deadline {
  readonly at: number;
  constructor(ms: number) {
    this.at = Date.now() + ms;
  }
  left(): number {
    return Math.max(0, this.at - Date.now());
  }
  passed(): boolean {
    return Date.now() >= this.at;
  }
  /** Resolves after `ms`, or when the deadline comes, whichever is first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, this.left())));
  }
}

/**
 * The n-th address of 127.20.0.0/14 (n < 260,096): the load's own block, apart from crowd.ts's
 * 127.60.0.0/14 and the e2e tests' blocks. Parts take disjoint ranges of n.
 */
export function loadAddress(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 4 * 65_024) throw new RangeError(`no load address number ${n}`);
  return `127.${20 + Math.floor(n / 65_024)}.${Math.floor((n % 65_024) / 254)}.${(n % 254) + 1}`;
}

export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Answer<T> {
  /** HTTP status; 0 when no answer came (connection error, deadline). */
  status: number;
  body?: GraphQLBody<T>;
  /** From just before the request was written to the end of its response, in ms. */
  ms: number;
  /** At which performance.now() the answer ended. */
  endedAt: number;
  error?: string;
}

/**
 * POSTs to `<baseUrl>/api/graphql`, one keep-alive agent per source address (nginx keeps an idle
 * client connection 75 s), so a request on a warm address costs no TCP handshake.
 */
export class GraphQLClients {
  private readonly agents = new Map<string, http.Agent>();
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly deadline: Deadline,
  ) {
    this.url = new URL('/api/graphql', baseUrl);
  }

  post<T>(from: string, query: string): Promise<Answer<T>> {
    let agent = this.agents.get(from);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress: from });
      this.agents.set(from, agent);
    }
    const payload = JSON.stringify({ query });
    const startedAt = performance.now();
    return new Promise((resolve) => {
      const done = (answer: Omit<Answer<T>, 'ms' | 'endedAt'>) => {
        const endedAt = performance.now();
        resolve({ ...answer, ms: endedAt - startedAt, endedAt });
      };
      const request = http.request(
        this.url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: Math.max(1, this.deadline.left()),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => done({ status: 0, error: error.message }));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            try {
              done({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLBody<T> });
            } catch {
              done({ status, error: 'not JSON' });
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('deadline')));
      request.on('error', (error) => done({ status: 0, error: error.message }));
      request.end(payload);
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** What kind of failure an answer is, for counting: `ok`, `http 429`, a GraphQL error code... */
export function outcomeOf(answer: Answer<unknown>): string {
  if (answer.status === 0) return `no answer (${answer.error ?? 'closed'})`;
  if (answer.status !== 200) return `http ${answer.status}`;
  if (answer.body?.errors?.length) return answer.body.errors[0]?.extensions?.code ?? 'GraphQL error';
  if (answer.body?.data == null) return answer.error ?? 'no data';
  return 'ok';
}

export interface CalculatedEvent {
  index: number;
  status: string;
  digits: number | null;
  preview: string | null;
  cursor: string | null;
}

/**
 * A graphql-ws subscriber to valueCalculated through nginx, from `from`, resuming after the feed's
 * cursor as read just before it subscribes (so an event published while the subscription is
 * being set up still arrives). `heard` maps each index to when (performance.now()) its first
 * event arrived; `onEvent` is called on every event as it arrives.
 */
export class CalculatedSubscriber {
  readonly heard = new Map<number, { at: number; event: CalculatedEvent }>();
  /** Events for an index already heard (the contract says no repeat). */
  repeats = 0;
  closedEarly: string | null = null;
  private socket?: WebSocket;
  private closing = false;

  constructor(private readonly onEvent: (event: CalculatedEvent, at: number) => void = () => undefined) {}

  async open(baseUrl: string, from: string, clients: GraphQLClients, deadline: Deadline): Promise<void> {
    const answer = await clients.post<{ feedCursor: string }>(from, '{ feedCursor }');
    const after = answer.body?.data?.feedCursor;
    if (!after) throw new Error(`feedCursor: ${outcomeOf(answer)} ${JSON.stringify(answer.body?.errors ?? [])}`);
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/graphql`, 'graphql-transport-ws', {
      localAddress: from,
      perMessageDeflate: false,
    });
    this.socket = socket;
    const query = `subscription { valueCalculated(after: ${JSON.stringify(after)}) { index status digits preview cursor } }`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('subscriber: no connection_ack in time')), deadline.left());
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data) => {
        const at = performance.now();
        const message = JSON.parse(String(data)) as {
          type: string;
          payload?: { data?: { valueCalculated?: CalculatedEvent }; errors?: unknown };
        };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: 'calculated', type: 'subscribe', payload: { query } }));
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        } else if (message.type === 'next') {
          const event = message.payload?.data?.valueCalculated;
          if (!event) return;
          if (this.heard.has(event.index)) this.repeats += 1;
          else this.heard.set(event.index, { at, event });
          this.onEvent(event, at);
        } else if (message.type === 'error' || message.type === 'complete') {
          this.closedEarly = `subscription ${message.type}: ${JSON.stringify(message.payload ?? null)}`;
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', (code) => {
        clearTimeout(timer);
        if (!this.closing) this.closedEarly ??= `socket closed by the server (${code})`;
        reject(new Error(`subscriber: socket closed (${code})`));
      });
    });
  }

  close(): void {
    this.closing = true;
    this.socket?.terminate();
  }
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const CHART_PERCENTILES = [50, 60, 70, 80, 90, 95, 97, 98, 99, 99.5, 99.9];

export interface Distribution {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** [percentile, ms] at CHART_PERCENTILES. */
  curve: [number, number][];
}

export function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p);
  return {
    n: sorted.length,
    mean: sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: sorted.at(-1) ?? Number.NaN,
    curve: CHART_PERCENTILES.map((p) => [p, Number(at(p).toFixed(3))]),
  };
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : '-');

/** A markdown table row of a distribution. */
export function distributionRow(name: string, d: Distribution): string {
  return `| ${name} | ${d.n} | ${ms(d.p50)} | ${ms(d.p90)} | ${ms(d.p99)} | ${ms(d.p999)} | ${ms(d.max)} | ${ms(d.mean)} |`;
}
export const DISTRIBUTION_HEADER =
  '| | samples | p50 | p90 | p99 | p99.9 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|';

/**
 * Whether an event shows F(index) as it is, cheaply enough to check every event of a run: below
 * 200 the exact value; above, the digit count from log10(φ^n/√5) (F(n) is that rounded, and its
 * log10 never falls within double precision of an integer in this range) and the preview's last
 * 20 digits from F(n) mod 10^20.
 */
export class FibonacciCheck {
  private static readonly TAIL = 10n ** 20n;
  private readonly tails: bigint[] = [0n, 1n];
  private readonly small: bigint[] = [0n, 1n];

  /** null when the event shows F(index) correctly, else what is wrong. */
  problem(event: CalculatedEvent): string | null {
    const n = event.index;
    if (event.status !== 'DONE') return `F(${n}): status ${event.status}`;
    const digits = this.digits(n);
    if (event.digits !== digits) return `F(${n}): ${event.digits} digits, expected ${digits}`;
    const preview = event.preview ?? '';
    if (n < 200) {
      const value = this.exact(n).toString();
      const short = value.length <= 41 ? value : `${value.slice(0, 20)}…${value.slice(-20)}`;
      return preview === short ? null : `F(${n}): preview ${preview}, expected ${short}`;
    }
    const tail = this.tail(n).toString().padStart(20, '0');
    return preview.endsWith(`…${tail}`) ? null : `F(${n}): preview ${preview}, expected it to end …${tail}`;
  }

  private digits(n: number): number {
    if (n < 200) return this.exact(n).toString().length;
    return Math.floor(n * Math.log10((1 + Math.sqrt(5)) / 2) - Math.log10(5) / 2) + 1;
  }

  private exact(n: number): bigint {
    while (this.small.length <= n) this.small.push(this.small.at(-1)! + this.small.at(-2)!);
    return this.small[n]!;
  }

  private tail(n: number): bigint {
    while (this.tails.length <= n) this.tails.push((this.tails.at(-1)! + this.tails.at(-2)!) % FibonacciCheck.TAIL);
    return this.tails[n]!;
  }
}

/**
 * CPU each of the stack's processes (and this load client) used between start() and stop(), from
 * /proc/<pid>/stat, in percent of one core; the shared machine Postgres counted by the backends
 * serving the gateway's own database (read from the gateway's environment).
 */
export class CpuWatch {
  private readonly tick = 100; // USER_HZ on Linux
  private before = new Map<string, { role: string; ticks: number }>();
  private clientBefore = process.cpuUsage();
  private startedAt = 0;

  constructor(private readonly stack: BenchStack) {}

  start(): void {
    this.before = this.sample();
    this.clientBefore = process.cpuUsage();
    this.startedAt = performance.now();
  }

  /** Percent of one core per role (summed over its processes), plus `load client`. */
  stop(): { role: string; percent: number; processes: number; rssMb: number }[] {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const after = this.sample();
    const byRole = new Map<string, { ticks: number; processes: number; rssMb: number }>();
    for (const [key, { role, ticks }] of after) {
      const used = ticks - (this.before.get(key)?.ticks ?? ticks);
      const entry = byRole.get(role) ?? { ticks: 0, processes: 0, rssMb: 0 };
      entry.ticks += used;
      entry.processes += 1;
      entry.rssMb += rssMb(Number(key.split(':')[0]));
      byRole.set(role, entry);
    }
    const client = process.cpuUsage(this.clientBefore);
    const rows = [...byRole].map(([role, { ticks, processes, rssMb: rss }]) => ({
      role,
      percent: (100 * ticks) / this.tick / seconds,
      processes,
      rssMb: rss,
    }));
    rows.push({
      role: 'load client (this process)',
      percent: (client.user + client.system) / 1e4 / seconds,
      processes: 1,
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    });
    return rows.sort((a, b) => b.percent - a.percent);
  }

  private sample(): Map<string, { role: string; ticks: number }> {
    const found = new Map<string, { role: string; ticks: number }>();
    const add = (pid: number, role: string) => {
      const ticks = cpuTicks(pid);
      if (ticks !== null) found.set(`${pid}:${startTime(pid)}`, { role, ticks });
    };
    const processes = this.stack.processes();
    for (const { role, pid } of processes) add(pid, role);
    const gateway = processes.find((p) => p.role === 'gateway');
    const database = gateway ? databaseOf(gateway.pid) : null;
    if (database) for (const pid of postgresBackends(database)) add(pid, 'postgres (backends of its database)');
    return found;
  }
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat; 12 and 13 after the name). */
function cpuTicks(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : null;
}

function startTime(pid: number): string {
  return statFields(pid)?.[19] ?? '';
}

function rssMb(pid: number): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function databaseUrlOf(pid: number): string | null {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((e) => e.startsWith('DATABASE_URL='));
    return entry ? entry.slice('DATABASE_URL='.length) : null;
  } catch {
    return null;
  }
}

function databaseOf(pid: number): string | null {
  const url = databaseUrlOf(pid);
  return url ? new URL(url).pathname.slice(1) : null;
}

/**
 * What the Postgres backends serving the stack's database are doing, sampled from pg_stat_activity
 * every 100 ms: on average how many wait on a lock, on the WAL's flush at commit, for the gateway's
 * next statement inside a transaction, or run. A cheap profile of where a submission's time goes.
 */
export class PostgresWaits {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  private constructor(private readonly client: pg.Client) {}

  /** null when the stack's database cannot be found or reached (then nothing is sampled). */
  static async start(stack: BenchStack): Promise<PostgresWaits | null> {
    const gateway = stack.processes().find((p) => p.role === 'gateway');
    const url = gateway ? databaseUrlOf(gateway.pid) : null;
    if (!url) return null;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
    } catch {
      return null;
    }
    const waits = new PostgresWaits(client);
    waits.timer = setInterval(() => void waits.sample(), 100);
    return waits;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: string }>(
        `SELECT state || coalesce(' / ' || wait_event_type || ':' || wait_event, '') AS what, count(*) AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
      );
      this.samples += 1;
      for (const { what, n } of rows) this.counts.set(what, (this.counts.get(what) ?? 0) + Number(n));
    } catch {
      // a sample lost is no matter
    } finally {
      this.busy = false;
    }
  }

  /** Average backends in each state over the samples, as a markdown table. */
  async stop(): Promise<string> {
    clearInterval(this.timer);
    await this.client.end().catch(() => undefined);
    const rows = [...this.counts]
      .map(([what, n]): [string, number] => [what, n / Math.max(1, this.samples)])
      .sort((a, b) => b[1] - a[1]);
    return [
      `| backend state / wait event (${this.samples} samples) | backends on average |`,
      '|---|---:|',
      ...rows.map(([what, n]) => `| ${what} | ${n.toFixed(2)} |`),
    ].join('\n');
  }
}

function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // `postgres: [<cluster>: ]<user> <database> <client> <state>` (Debian names the cluster)
      if (/^postgres: (?:\S+: )?\S+ (\S+) /.exec(command)?.[1] === database) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A markdown table of CpuWatch.stop()'s rows. */
export function cpuTable(rows: ReturnType<CpuWatch['stop']>): string {
  return [
    '| process | CPU (% of one core) | processes | RSS at the end |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.role} | ${r.percent.toFixed(0)} % | ${r.processes} | ${r.rssMb} MB |`),
  ].join('\n');
}

/**
 * Indexes never submitted before to the stack at `redisUrl` by this process: the latency part
 * takes random ones of 1..5,000, the throughput part counts up from 5,001 (small: the worker
 * answers each in well under a millisecond, so neither part measures the maths).
 */
export class FreshIndexes {
  private static readonly byStack = new Map<string, FreshIndexes>();
  private readonly used = new Set<number>();
  private nextLarge = 5_001;

  static of(stack: BenchStack): FreshIndexes {
    let fresh = FreshIndexes.byStack.get(stack.redisUrl);
    if (!fresh) FreshIndexes.byStack.set(stack.redisUrl, (fresh = new FreshIndexes()));
    return fresh;
  }

  /** `count` distinct unused indexes of 1..5,000 in random order (fewer when they run out). */
  small(count: number): number[] {
    const free = Array.from({ length: 5_000 }, (_, i) => i + 1).filter((n) => !this.used.has(n));
    for (let i = free.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [free[i], free[j]] = [free[j]!, free[i]!];
    }
    const chosen = free.slice(0, count);
    for (const n of chosen) this.used.add(n);
    return chosen;
  }

  /** The next unused index above 5,000. */
  large(): number {
    return this.nextLarge++;
  }
}

/**
 * `npx tsx scripts/bench/<part>.ts`: one part alone against its own bench stack (run `npm run
 * build` first), printing what it found; exit code 1 when it found something lost or wrong.
 */
export async function runAlone(part: BenchPart): Promise<void> {
  const { mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const { withBenchStack } = await import('./stack.js');
  const logDir = mkdtempSync(`${os.tmpdir()}/fibgraph-bench-`);
  console.log(`stack log: ${logDir}/stack.log`);
  const section = await withBenchStack({}, logDir, part);
  console.log(`\n## ${section.title}\n\n${section.markdown}\n`);
  for (const f of section.figures) console.log(`${f.figure}: ${f.measured} (target ${f.target}, met ${f.met})`);
  for (const chart of section.charts) {
    console.log(`chart ${chart.file}: ${chart.series.map((s) => `${s.name} ${JSON.stringify(s.points)}`).join('; ')}`);
  }
  for (const problem of section.problems) console.log(`PROBLEM: ${problem}`);
  process.exitCode = section.problems.length > 0 ? 1 : 0;
}

/**
 * The stack's gateways and workers as they run now (pid and start time each), to check that none
 * restarted while a part measured: a gateway that cannot bind its port (another stack on this
 * machine took it first) restarts in a loop, while nginx forwards to whatever holds that port.
 */
export function servicesNow(stack: BenchStack): string {
  const services = stack
    .processes()
    .filter(({ role }) => role === 'gateway' || role === 'worker')
    .map(({ role, pid }) => `${role} ${pid} (started at tick ${startTime(pid)})`)
    .sort();
  if (!services.some((s) => s.startsWith('gateway'))) throw new Error('the bench stack has no gateway running');
  return services.join(', ');
}

/** Throws when the stack's gateways and workers are not those `before` found. */
export function assertNoRestart(stack: BenchStack, before: string): void {
  const now = servicesNow(stack);
  if (now !== before) {
    throw new Error(
      `the stack's services changed while measuring (before: ${before}; after: ${now}); its log says why ` +
        '(a gateway that could not bind its port because another stack on this machine holds it?)',
    );
  }
}

/**
 * Of `indexes` never heard on a subscriber, those whose result was there before `sentAt` (ms since
 * the epoch): submitted earlier to this stack by someone else, so no event was due. At most 200
 * are asked about (from `addresses` in turn); the rest count as not computed before.
 */
export async function computedBefore(
  clients: GraphQLClients,
  addresses: string[],
  indexes: number[],
  sentAt: (index: number) => number,
): Promise<Set<number>> {
  const before = new Set<number>();
  for (const [i, index] of indexes.slice(0, 200).entries()) {
    const answer = await clients.post<{ calculation: { updatedAt: string | null } | null }>(
      addresses[i % addresses.length]!,
      `{ calculation(index: ${index}) { updatedAt } }`,
    );
    const updatedAt = answer.body?.data?.calculation?.updatedAt;
    if (updatedAt && Date.parse(updatedAt) < sentAt(index)) before.add(index);
  }
  return before;
}
