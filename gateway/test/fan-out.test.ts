import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { redisKeys, type ValueCalculatedEvent } from '@fibgraph/core';
import { waitUntil } from '@fibgraph/devstack';
import { SUBMIT, VALUES } from './operations.js';
import { RawSocket } from './raw.js';
import { TestSystem } from './system.js';

const SUBSCRIBERS = 2_000;
const BURST = 25;

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterAll(() => system?.stop());

/** A valueCalculated event as a worker's COMMIT publishes it (with `error`, as big as wanted). */
const event = (index: number, error: string | null = null) =>
  JSON.stringify({
    cursor: `1:${index}`,
    index,
    status: 'DONE',
    digits: 1,
    preview: '1',
    computeMs: 0,
    updatedAt: Date.now(),
    error,
  } satisfies ValueCalculatedEvent);

describe('fan-out', () => {
  it('keeps answering requests while it delivers a burst of events to many subscribers', async () => {
    const url = `ws://127.0.0.1:${system.gateways[0]!.port}/graphql`;
    // How many burst events each subscriber has had, and when each had them all.
    const received = new Uint16Array(SUBSCRIBERS);
    const completeAt = new Float64Array(SUBSCRIBERS);
    let warmed = 0;
    const sockets: WebSocket[] = [];
    try {
      for (let first = 0; first < SUBSCRIBERS; first += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, SUBSCRIBERS - first) }, async (_, k) => {
            const n = first + k;
            const socket = new WebSocket(url, 'graphql-transport-ws');
            sockets.push(socket);
            socket.on('message', (data) => {
              const message = JSON.parse(String(data)) as { type: string; payload?: { data?: unknown } };
              if (message.type === 'connection_ack') {
                const query = 'subscription { valueCalculated { index } }';
                socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query } }));
              } else if (message.type === 'next') {
                const { index } = (message.payload?.data as { valueCalculated: { index: number } }).valueCalculated;
                if (index === 0) warmed += 1;
                else if (++received[n]! === BURST) completeAt[n] = performance.now();
              }
            });
            await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
            socket.send(JSON.stringify({ type: 'connection_init' }));
          }),
        );
      }
      // Every subscription is in place once an event has reached each.
      const redis = system.inspect();
      const channel = redisKeys(system.prefix).valueCalculated;
      await waitUntil(
        'every subscriber to hear an event',
        async () => {
          await redis.publish(channel, event(0));
          await new Promise((resolve) => setTimeout(resolve, 200));
          return warmed >= SUBSCRIBERS;
        },
        { timeoutMs: 60_000 },
      );

      // Requests sent as the burst is published: on a connection opened before it, and on a new one.
      const kept = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const ask = (agent: http.Agent | false) =>
        new Promise<number>((resolve, reject) => {
          const request = http.request(
            `http://127.0.0.1:${system.gateways[0]!.port}/graphql`,
            { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
            (response) => response.resume().on('end', () => resolve(performance.now())),
          );
          request.on('error', reject).end(JSON.stringify({ query: '{ __typename }' }));
        });
      await ask(kept);
      const burst = redis.pipeline();
      for (let i = 1; i <= BURST; i++) burst.publish(channel, event(i));
      await burst.exec();
      const answeredAt = await Promise.all([ask(kept), ask(false)]);
      await waitUntil('every subscriber to have the whole burst', async () => received.every((n) => n === BURST), {
        timeoutMs: 120_000,
      });
      kept.destroy();

      // 50,000 messages to send: the gateway answered both long before the last subscriber had them
      // all (when the burst held the event loop until every message was out, none had it later).
      for (const at of answeredAt) {
        expect(completeAt.filter((complete) => complete > at).length).toBeGreaterThan(SUBSCRIBERS / 4);
      }
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  });

  it(
    'closes the socket of a subscriber that stopped reading once it is stuck; the others get every event, thousands at once too',
    { timeout: 90_000 },
    async () => {
      const url = `ws://127.0.0.1:${system.gateways[0]!.port}/graphql`;
      const redis = system.inspect();
      const channel = redisKeys(system.prefix).valueCalculated;
      const [slow, fast] = [new RawSocket(url), new RawSocket(url)];
      const indexes = (socket: RawSocket) =>
        socket.messages.flatMap((m) =>
          m.type === 'next'
            ? [(m.payload as { data: { valueCalculated: { index: number } } }).data.valueCalculated.index]
            : [],
        );
      try {
        await Promise.all([slow.init(), fast.init()]);
        for (const socket of [slow, fast]) socket.subscribe('s', 'subscription { valueCalculated { index error } }');
        await waitUntil(
          'both subscribers to hear an event',
          async () => {
            await redis.publish(channel, event(0));
            await new Promise((resolve) => setTimeout(resolve, 100));
            return indexes(slow).length > 0 && indexes(fast).length > 0;
          },
          { timeoutMs: 10_000 },
        );
        slow.reading(false);
        // 16 MB of big events fill what the kernel holds between the gateway and the one that
        // stopped reading (a few MB here); then small ones wait for it in the gateway, 3,000 at once
        // (the one that reads takes them all: only a socket that takes nothing is closed).
        const BIG = 64;
        const ALL = BIG + 3_000;
        const publish = async (from: number, to: number, error: string | null) => {
          const burst = redis.pipeline();
          for (let i = from; i <= to; i++) burst.publish(channel, event(i, error));
          await burst.exec();
          await fast.until(
            `the other subscriber to have events up to ${to}`,
            () => (indexes(fast).at(-1) === to ? true : undefined),
            30_000,
          );
        };
        await publish(1, BIG, 'x'.repeat(256 * 1024));
        await publish(BIG + 1, ALL, null);
        // Stuck for longer than the gateway lets a write wait (10 s).
        await new Promise((resolve) => setTimeout(resolve, 12_000));
        slow.reading(true);

        expect(await slow.closedWith(30_000)).toEqual({ code: 1013, reason: expect.stringMatching(/behind/) });
        // What it had is every event up to some point, in order: resubscribing from its last cursor loses nothing.
        const had = indexes(slow).filter((index) => index > 0);
        expect(had.length).toBeLessThan(ALL);
        expect(had).toEqual(Array.from({ length: had.length }, (_, i) => i + 1));
        const zeros = indexes(fast).filter((index) => index === 0).length;
        expect(indexes(fast).slice(zeros)).toEqual(Array.from({ length: ALL }, (_, i) => i + 1));
        expect(fast.closed).toBeUndefined();
      } finally {
        slow.close();
        fast.close();
      }
    },
  );
  it('works out an event once for every page, whichever cursor each resumed from', { timeout: 60_000 }, async () => {
    // Every page subscribes from its own cursor (the newest it had), with one document. What an
    // event's answer reads (here the calculation of a submission, from Redis) is read once for all.
    const PAGES = 12;
    const client = system.client();
    for (let i = 0; i < PAGES; i++) await client.request(SUBMIT, { index: 700 + i });
    const { data } = await client.request<{ values: { id: string }[] }>(VALUES, { limit: PAGES });
    const cursors = data!.values.map((value) => value.id);
    expect(new Set(cursors).size).toBe(PAGES);
    const pages = await Promise.all(
      cursors.map((after) =>
        system.subscribe<{ valueSubmitted: { index: number; calculation: { status: string } | null } }>(
          'subscription Resumed($after: ID) { valueSubmitted(after: $after) { index calculation { status } } }',
          0,
          { after },
        ),
      ),
    );
    // Variables the answer uses still tell pages apart.
    const [full, brief] = await Promise.all(
      [true, false].map((withCalculation) =>
        system.subscribe<{ valueSubmitted: { index: number; calculation?: { status: string } | null } }>(
          'subscription Resumed($after: ID, $withCalculation: Boolean!) { valueSubmitted(after: $after) { index calculation @include(if: $withCalculation) { status } } }',
          0,
          { after: cursors[0], withCalculation },
        ),
      ),
    );
    // Each page replays what came after its cursor, then goes live: once all have a marker, every
    // replay is done, and the next submission reaches every page live, as one event.
    await client.request(SUBMIT, { index: 798 });
    await Promise.all([...pages, full!, brief!].map((page) => page.waitFor((e) => e.valueSubmitted.index === 798)));
    // Redis' MONITOR on a plain socket (ioredis' own monitor mistakes replies that come while it
    // starts for its queue's): the HMGETs of that calculation sent by a client, not by a script.
    const read = `"hmget" "${redisKeys(system.prefix).calculation(799)}"`;
    const monitor = net.connect(Number(new URL(system.redis.url).port), '127.0.0.1');
    let reads = 0;
    let lines = '';
    await new Promise<void>((resolve, reject) => {
      monitor.once('error', reject);
      monitor.on('data', (chunk: Buffer) => {
        lines += String(chunk);
        const complete = lines.split('\r\n');
        lines = complete.pop()!;
        for (const line of complete) {
          if (line === '+OK') resolve();
          else if (line.includes(read) && !line.includes(' lua]')) reads += 1;
        }
      });
      monitor.write('MONITOR\r\n');
    });
    try {
      await client.request(SUBMIT, { index: 799 });
      for (const page of pages) {
        const { valueSubmitted } = await page.waitFor((e) => e.valueSubmitted.index === 799);
        expect(valueSubmitted.calculation?.status).toBe('PENDING');
      }
      expect((await full!.waitFor((e) => e.valueSubmitted.index === 799)).valueSubmitted).toEqual({
        index: 799,
        calculation: { status: 'PENDING' },
      });
      expect((await brief!.waitFor((e) => e.valueSubmitted.index === 799)).valueSubmitted).toEqual({ index: 799 });
      // Once for the 12 pages; once for the page of the other document that asks for the calculation.
      // (MONITOR reports on a connection of its own: a moment later than the pages have their event.)
      await expect.poll(() => reads).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reads).toBe(2);
    } finally {
      monitor.destroy();
    }
  });
});
