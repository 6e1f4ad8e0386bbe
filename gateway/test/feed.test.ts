import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fibonacci, redisKeys } from '@fibgraph/core';
import { waitUntil } from '@fibgraph/devstack';
import { RawSocket, type GraphQLAnswer } from './raw.js';
import { SUBMIT } from './operations.js';
import { TestSystem } from './system.js';

/**
 * The feed of results: valueCalculated(after:) resumes where a client left off, on any gateway,
 * with no gap and no repeat; a cursor the feed no longer covers is CURSOR_EXPIRED.
 */
let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 2, workers: 1 });
});
afterAll(() => system?.stop());

const sockets: RawSocket[] = [];
afterAll(() => sockets.forEach((socket) => socket.close()));

type Event = { index: number; value: string | null; cursor: string };

/** A socket on gateway `n` subscribed to valueCalculated after `after` (live only without). */
async function feedFrom(n: number, after?: string) {
  const ws = new RawSocket(`ws://127.0.0.1:${system.gateways[n]!.port}/graphql`);
  sockets.push(ws);
  await ws.init();
  ws.subscribe('feed', 'subscription ($after: ID) { valueCalculated(after: $after) { index value cursor } }', {
    after,
  });
  const events = () =>
    ws.messages
      .filter((m) => m.id === 'feed' && m.type === 'next')
      .map((m) => (m.payload as GraphQLAnswer).data?.valueCalculated as Event);
  return { ws, events };
}

const feedCursor = async (n = 0) =>
  (await system.client(n).request<{ feedCursor: string }>('{ feedCursor }')).data!.feedCursor;

async function submitAll(indexes: number[]): Promise<void> {
  for (const index of indexes) await system.client().request(SUBMIT, { index });
}

describe('valueCalculated(after:)', () => {
  it('resumes a client that was away: every result published meanwhile, once each, in order, on the other gateway too', async () => {
    const first = await feedFrom(0, await feedCursor());
    await submitAll([3_001]);
    const [seen] = await first.ws.until('the first result', () =>
      first.events().length >= 1 ? first.events() : undefined,
    );
    first.ws.close();

    // Away while 20 results are published.
    const away = Array.from({ length: 20 }, (_, i) => 3_100 + i);
    await submitAll(away);
    await waitUntil('the 20 results', async () => {
      const statuses = await Promise.all(
        away.map((i) => system.inspect().hget(`${system.prefix}result:${i}`, 'status')),
      );
      return statuses.every((status) => status === 'DONE');
    });

    // Back on each gateway in turn, from the same cursor: what was published since, then live.
    for (const gateway of [0, 1]) {
      const missed = gateway === 0 ? away : [...away, 3_200];
      const back = await feedFrom(gateway, seen!.cursor);
      const events = await back.ws.until('the missed ones replayed', () =>
        back.events().length >= missed.length ? back.events() : undefined,
      );
      expect(events.map((e) => e.index).sort((a, b) => a - b)).toEqual(missed);
      expect(new Set(events.map((e) => e.cursor)).size).toBe(missed.length);
      expect(events.map((e) => e.cursor)).toEqual([...events.map((e) => e.cursor)].sort(byCursor));
      for (const event of events) expect(event.value).toBe(fibonacci(event.index).toString());
      // Then live, with nothing repeated.
      await submitAll([3_200 + gateway]);
      await back.ws.until('the live one', () => (back.events().length >= 21 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(back.events().map((e) => e.index)).toEqual([...events.map((e) => e.index), 3_200 + gateway]);
      back.ws.close();
    }
  });

  it('loses nothing and repeats nothing when a client resubscribes from its last cursor while results keep coming', async () => {
    const indexes = Array.from({ length: 60 }, (_, i) => 4_000 + i);
    let cursor = await feedCursor(1);
    const submitting = submitAll(indexes);
    const received: Event[] = [];
    // Reconnect every few events, each time on the other gateway, from the last cursor applied.
    const deadline = Date.now() + 60_000;
    for (let round = 0; received.filter((e) => indexes.includes(e.index)).length < indexes.length; round++) {
      if (Date.now() > deadline) break;
      const { ws, events } = await feedFrom(round % 2, cursor);
      await ws.until('a few events', () => (events().length >= 5 ? true : undefined), 3_000).catch(() => undefined);
      ws.close();
      for (const event of events()) {
        received.push(event);
        cursor = event.cursor;
      }
    }
    await submitting;
    const mine = received.filter((e) => indexes.includes(e.index));
    expect(mine.map((e) => e.index).sort((a, b) => a - b)).toEqual(indexes);
    expect(new Set(received.map((e) => e.cursor)).size).toBe(received.length);
    expect(received.map((e) => e.cursor)).toEqual([...received.map((e) => e.cursor)].sort(byCursor));
  });

  it('answers a malformed cursor with BAD_USER_INPUT, and one the feed no longer covers with CURSOR_EXPIRED', async () => {
    const { ws } = await feedFrom(0, 'not-a-cursor');
    expect((await ws.answer('feed')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // Trimmed past it: results after the cursor are gone from the feed.
    const old = await feedCursor();
    await submitAll([5_001, 5_002]);
    // Both computed: the feed's position is two past the cursor (its length says nothing: earlier
    // tests filled it, and the worker may still be computing these on a slow machine).
    const position = (cursor: string) => Number(cursor.split(':')[1]);
    await waitUntil('both in the feed', async () => position(await feedCursor()) >= position(old) + 2);
    await system.inspect().xtrim(redisKeys(system.prefix).feed, 'MAXLEN', 1);
    const trimmed = await feedFrom(1, old);
    expect((await trimmed.ws.answer('feed')).errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');

    // From another Redis (before it lost everything): another epoch.
    const [, n] = old.split(':');
    const other = await feedFrom(0, `1:${n}`);
    expect((await other.ws.answer('feed')).errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  });
});

/** Cursors in order: the event's number after the epoch. */
function byCursor(a: string, b: string): number {
  return Number(a.split(':')[1]) - Number(b.split(':')[1]);
}
