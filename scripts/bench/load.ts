/**
 * Client side of the load parts of `npm run bench` (latency.ts, throughput.ts): GraphQL over HTTP
 * and graphql-ws through nginx, each request from a loopback address of its own choosing, so that
 * nginx's and the gateway's per-address limits act as they would for many people (ENVIRONMENT.md).
 * Every wait is bounded by one Deadline; every agent and socket is closed by `close()`.
 * Their statistics and value checks are in stats.ts, what the stack's processes use in watch.ts.
 */
import http from 'node:http';
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
const SUBMIT_VALUE = 'mutation SubmitValue($index: Int!) { submitValue(index: $index) { index status } }';

export class GraphQLClients {
  private readonly agents = new Map<string, http.Agent>();
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly deadline: Deadline,
  ) {
    this.url = new URL('/api/graphql', baseUrl);
  }

  /** `submitValue(index)` as the web page sends it: one document, the index a variable. */
  submit(
    from: string,
    index: number,
    timeoutMs?: number,
  ): Promise<Answer<{ submitValue: { index: number; status: string } }>> {
    return this.post(from, SUBMIT_VALUE, { index }, timeoutMs);
  }

  /** Waits for the answer until the deadline, or `timeoutMs` if that is sooner. */
  post<T>(
    from: string,
    query: string,
    variables?: Record<string, unknown>,
    timeoutMs = Number.POSITIVE_INFINITY,
  ): Promise<Answer<T>> {
    let agent = this.agents.get(from);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress: from });
      this.agents.set(from, agent);
    }
    const payload = JSON.stringify(variables ? { query, variables } : { query });
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
          timeout: Math.max(1, Math.min(timeoutMs, this.deadline.left())),
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
      request.on('timeout', () =>
        request.destroy(new Error(timeoutMs < this.deadline.left() ? 'timeout' : 'deadline')),
      );
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
  /** The feed's cursor it subscribed after. */
  cursor: string | undefined;
  private socket?: WebSocket;
  private closing = false;

  constructor(private readonly onEvent: (event: CalculatedEvent, at: number) => void = () => undefined) {}

  async open(baseUrl: string, from: string, clients: GraphQLClients, deadline: Deadline): Promise<void> {
    const answer = await clients.post<{ feedCursor: string }>(from, '{ feedCursor }');
    const after = answer.body?.data?.feedCursor;
    if (!after) throw new Error(`feedCursor: ${outcomeOf(answer)} ${JSON.stringify(answer.body?.errors ?? [])}`);
    this.cursor = after;
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/graphql`, 'graphql-transport-ws', {
      localAddress: from,
      perMessageDeflate: false,
    });
    this.socket = socket;
    // As the web page sends it: one document, the cursor a variable.
    const query =
      'subscription Calculated($after: ID) { valueCalculated(after: $after) { index status digits preview cursor } }';
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
          socket.send(
            JSON.stringify({ id: 'calculated', type: 'subscribe', payload: { query, variables: { after } } }),
          );
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
    while (this.used.has(this.nextLarge)) this.nextLarge += 1;
    return this.nextLarge++;
  }

  /**
   * Marks `index` as submitted by a part that finds its own fresh indexes (fanout.ts): neither
   * small() nor large() gives it later. (A result already there would never be announced again,
   * and a part waiting for its event would wait until its deadline.)
   */
  claim(index: number): void {
    this.used.add(index);
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
