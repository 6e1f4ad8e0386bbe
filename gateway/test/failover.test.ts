import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fibonacci, LANES, previewOf, redisKeys, WORKER_GROUP, type Lane } from '@fibgraph/core';
import { waitUntil } from '@fibgraph/devstack';
import { SUBMIT, type CalculationData } from './operations.js';
import { TestSystem } from './system.js';

/**
 * Several processes, proven (issue 12): 2 gateways and 3 workers, 20 subscribers over both, 500
 * submissions over both; one gateway and one worker are killed (SIGKILL) mid-run. Every subscriber
 * must end with every result exactly once (those on the dead gateway resume by cursor on the other),
 * every value right, every job committed once.
 */
const SUBSCRIBERS = 20;
const KILL_AFTER = 150; // accepted submissions
/** Per client (all submissions come from 127.0.0.1): low enough that some are refused and retried. */
const GATEWAY_ENV = { MAX_JOBS_PER_CLIENT: '25' };
const RETRYABLE = new Set(['RATE_LIMITED', 'BUSY', 'SERVICE_UNAVAILABLE']);
const FEED = 'subscription Feed($after: ID) { valueCalculated(after: $after) { index status digits preview cursor } }';

/** 350 small, 100 medium and 50 large indexes (the three lanes), in a fixed shuffled order. */
const INDEXES = shuffle([
  ...Array.from({ length: 350 }, (_, i) => 7 + i * 53),
  ...Array.from({ length: 100 }, (_, i) => 20_000 + i * 1_777),
  ...Array.from({ length: 50 }, (_, i) => 200_000 + i * 6_779),
]);
const expected = new Map(INDEXES.map((index) => [index, fibonacci(index).toString()]));

type Event = { index: number; status: string; digits: number | null; preview: string | null; cursor: string };

let system: TestSystem;
const workerLogs: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const port = (n: number) => system.gateways[n]!.port!;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 0, workers: 0 });
  await Promise.all([system.addGateway(GATEWAY_ENV), system.addGateway(GATEWAY_ENV)]);
  const onLine = (line: string) => line.includes('"msg":"value calculated"') && workerLogs.push(line);
  await Promise.all([0, 1, 2].map((n) => system.addWorker({ WORKER_NAME: `w${n}` }, { onLine })));
});
afterAll(() => system?.stop());

/**
 * A client of the feed as an app would write one: on a lost socket it subscribes again on the
 * next gateway, after the last cursor it saw.
 */
class Subscriber {
  readonly seen = new Map<number, number>();
  duplicates = 0;
  resumes = 0;
  readonly problems: string[] = [];
  private client: Client | undefined;
  private stopped = false;

  constructor(
    private gateway: number,
    private cursor: string,
  ) {}

  connect(): void {
    const client = createClient({
      url: `ws://127.0.0.1:${port(this.gateway)}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    this.client = client;
    client.subscribe<{ valueCalculated: Event }>(
      { query: FEED, variables: { after: this.cursor } },
      {
        next: (result) => this.receive(result),
        error: (err) => this.lost(client, err),
        complete: () => this.lost(client, new Error('completed by the server')),
      },
    );
  }

  private receive(result: FormattedExecutionResult<{ valueCalculated: Event }, unknown>): void {
    const event = result.data?.valueCalculated;
    if (!event) return void this.problems.push(`an event with errors: ${JSON.stringify(result.errors)}`);
    const count = (this.seen.get(event.index) ?? 0) + 1;
    this.seen.set(event.index, count);
    if (count > 1) this.duplicates++;
    this.cursor = event.cursor;
    const value = expected.get(event.index);
    if (value === undefined) return void this.problems.push(`an index never submitted: ${event.index}`);
    if (event.status !== 'DONE' || event.digits !== value.length || event.preview !== previewOf(value)) {
      this.problems.push(`a wrong event for F(${event.index}): ${JSON.stringify(event)}`);
    }
  }

  private lost(client: Client, err: unknown): void {
    if (this.stopped || client !== this.client) return;
    // An array is the server's answer (CURSOR_EXPIRED...); anything else is the socket gone.
    if (Array.isArray(err)) return void this.problems.push(`the feed refused: ${JSON.stringify(err)}`);
    void client.dispose();
    if (++this.resumes > 50) return void this.problems.push('gave up resuming after 50 attempts');
    this.gateway = (this.gateway + 1) % system.gateways.length;
    setTimeout(() => this.connect(), 50);
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve(this.client?.dispose());
  }
}

describe('2 gateways x 3 workers, one of each killed mid-run', () => {
  it('delivers every result exactly once to every subscriber, every value right, every job committed once', async () => {
    const began = Date.now();
    const deadline = began + 75_000;
    const keys = redisKeys(system.prefix);

    // Every announcement on the Redis channel the gateways listen on, counted per index.
    const published = new Map<number, number>();
    const listener = system.inspect();
    listener.on('message', (_channel: string, message: string) => {
      const { index } = JSON.parse(message) as { index: number };
      published.set(index, (published.get(index) ?? 0) + 1);
    });
    await listener.subscribe(keys.valueCalculated);

    const start = await system.client(0).request<{ feedCursor: string }>('{ feedCursor }');
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => new Subscriber(i % 2, start.data!.feedCursor));
    subscribers.forEach((subscriber) => subscriber.connect());

    // Submissions: each aimed at one gateway (alternating), on the other when that one is gone;
    // a refusal is retried until accepted. Eight at a time.
    const clients = [system.client(0), system.client(1)];
    const counts = { accepted: 0, refused: 0, redirected: 0 };
    let killed: () => void;
    const killTime = new Promise<void>((resolve) => (killed = resolve));
    async function submit(index: number, aim: number): Promise<void> {
      for (let gateway = aim; ;) {
        if (Date.now() > deadline) throw new Error(`submitValue(${index}) not accepted in time`);
        const answer = await clients[gateway]!.request<{ submitValue: CalculationData }>(SUBMIT, { index }).catch(
          () => undefined,
        );
        if (!answer) {
          if (gateway === aim) counts.redirected++;
          gateway = (gateway + 1) % clients.length;
          await sleep(20);
          continue;
        }
        if (answer.data?.submitValue) {
          if (++counts.accepted === KILL_AFTER) killed();
          return;
        }
        const code = answer.errors?.[0]?.extensions?.code;
        if (!code || !RETRYABLE.has(code)) throw new Error(`submitValue(${index}): ${JSON.stringify(answer.errors)}`);
        counts.refused++;
        await sleep(50);
      }
    }
    let next = 0;
    const submitting = Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let at = next++; at < INDEXES.length; at = next++) await submit(INDEXES[at]!, at % 2);
      }),
    );

    // The kill: gateway 1, and worker w0 while it holds a job (a medium or large one if it can).
    await Promise.race([killTime, submitting]);
    const redis = system.inspect();
    const held = async (lanes: readonly Lane[]) => {
      for (const lane of lanes) {
        const [entry] = (await redis.xpending(keys.jobs(lane), WORKER_GROUP, '-', '+', 1, 'w0')) as [string][];
        if (entry) return entry[0];
      }
      return undefined;
    };
    let heldAtKill: string | undefined;
    await waitUntil('w0 to hold a medium or large job', async () => !!(heldAtKill = await held(['medium', 'large'])), {
      timeoutMs: 5_000,
      intervalMs: 2,
    }).catch(() => undefined);
    heldAtKill ??= await held(LANES);
    await Promise.all([system.gateways[1]!.child.stop('SIGKILL'), system.workers[0]!.child.stop('SIGKILL')]);
    const acceptedAtKill = counts.accepted;
    const killedAt = Date.now() - began;

    await submitting;
    await waitUntil(
      'every job to be committed',
      async () => Number(await redis.hget(keys.feedMeta, 'seq')) >= INDEXES.length,
      { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
    );
    // Then the subscribers have what they need: a bounded wait for them to catch up, not a deadline.
    const missing = (s: Subscriber) => INDEXES.filter((index) => !s.seen.has(index));
    await waitUntil(
      'every subscriber to see every result',
      async () => subscribers.every((s) => missing(s).length === 0 || s.problems.length > 0),
      { timeoutMs: 10_000, intervalMs: 100 },
    ).catch(() => undefined); // the assertions below say who missed what
    const allSeenAt = Date.now() - began;
    await sleep(500); // time for a repeat to show
    await Promise.all(subscribers.map((s) => s.stop()));

    for (const [i, s] of subscribers.entries()) {
      const gap = missing(s);
      expect(s.problems, `subscriber ${i}'s problems`).toEqual([]);
      expect(gap.length, `subscriber ${i} missed ${gap.length} results, e.g. ${gap.slice(0, 5).join(', ')}`).toBe(0);
      expect(s.duplicates, `subscriber ${i} saw repeats`).toBe(0);
      expect(s.seen.size).toBe(INDEXES.length);
    }
    // Those on the dead gateway resumed on the other one; the others never had to.
    expect(subscribers.filter((s) => s.resumes > 0).length).toBe(SUBSCRIBERS / 2);

    // Every value right, read back through the surviving gateway.
    const wrong: number[] = [];
    let reading = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let at = reading++; at < INDEXES.length; at = reading++) {
          const index = INDEXES[at]!;
          const { data } = await clients[0]!.request<{ calculation: { value: string | null } | null }>(
            'query ($index: Int!) { calculation(index: $index) { value } }',
            { index },
          );
          if (data?.calculation?.value !== expected.get(index)) wrong.push(index);
        }
      }),
    );
    expect(wrong, 'indexes whose value is wrong').toEqual([]);

    // Every job committed once: one event in the feed, one announcement, one job enqueued per index.
    const feed = await redis.xrange(keys.feed, '-', '+');
    const inFeed = feed.map(([, fields]) => (JSON.parse(fields[1]!) as { index: number }).index);
    expect(inFeed.sort((a, b) => a - b)).toEqual([...INDEXES].sort((a, b) => a - b));
    expect(Number(await redis.hget(keys.feedMeta, 'seq'))).toBe(INDEXES.length);
    expect([...published.values()].filter((n) => n !== 1)).toEqual([]);
    expect(published.size).toBe(INDEXES.length);
    expect(await system.jobsEverEnqueued()).toBe(INDEXES.length);

    // What the workers say: each logs a job it committed (one dying right after its commit may not).
    const logged = workerLogs.map((line) => (JSON.parse(line) as { index: number }).index);
    const loggedTwice = logged.filter((index, i) => logged.indexOf(index) !== i);
    expect(loggedTwice, 'jobs computed and committed twice').toEqual([]);
    // Started more than once: the job the killed worker held (its attempt counter says so).
    const attempts = await Promise.all(INDEXES.map((index) => redis.hget(keys.calculation(index), 'attempts')));
    const restarted = INDEXES.filter((_, i) => Number(attempts[i]) > 1);

    const db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ rows: string; indexes: string }>(
      'SELECT count(*) AS rows, count(DISTINCT index) AS indexes FROM submissions',
    );
    await db.end();
    expect(Number(rows[0]!.indexes)).toBe(INDEXES.length);

    console.info(
      `failover: ${counts.accepted} accepted (${acceptedAtKill} before the kill), ${counts.refused} refusals retried, ` +
        `${counts.redirected} redirected from the dead gateway, ${rows[0]!.rows} submission rows; ` +
        `w0 held job ${heldAtKill ?? 'none'} when killed; started twice: ${restarted.length} (${restarted.join(', ')}); ` +
        `committed: ${feed.length}, logged by workers: ${logged.length}; ` +
        `resumes: ${subscribers.map((s) => s.resumes).join(',')}; killed at ${killedAt} ms, all seen at ${allSeenAt} ms, ` +
        `checked at ${Date.now() - began} ms`,
    );
  }, 120_000);
});

/** A fixed permutation (a small linear congruential generator drives Fisher-Yates). */
function shuffle<T>(items: T[]): T[] {
  let seed = 12;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
