import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { Cluster, Redis } from 'ioredis';
import { redisKeys, type ValueSubmittedEvent } from '@fibgraph/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisCluster, startRedisServer } from '@fibgraph/devstack';
import { createLogger } from './logger.js';
import {
  createPubSub,
  LISTEN,
  liveEvents,
  type LiveEvents,
  publishSubmitted,
  type Replay,
  replayThenLive,
} from './pubsub.js';

interface Event {
  id: string;
}

const logger = createLogger('pubsub-test', 'silent');
// On one redis-server, and on a Redis Cluster of three masters, where the publisher and the
// subscriber may be on different nodes (PUBLISH reaches every node).
describe.each(['redis-server', 'Redis Cluster'])('on a %s', (kind) => {
  const cluster = kind === 'Redis Cluster';
  let server: { url: string; stop(): Promise<void> };
  let pubsub: RedisPubSub;
  let inspector: Redis | Cluster;
  let channels = 0;
  /** A channel no other test uses. */
  const freshChannel = () => `t:channel-${++channels}`;

  beforeAll(async () => {
    server = cluster ? await startRedisCluster() : await startRedisServer();
    pubsub = createPubSub(server.url, 2_000, logger, cluster);
    inspector = cluster ? new Cluster([new URL(server.url).host]) : new Redis(server.url);
    await inspector.ping();
    // No offline queue: wait until both connections are up.
    await Promise.all(
      [pubsub.getPublisher(), pubsub.getSubscriber()].map((client) =>
        client.status === 'ready' ? undefined : new Promise((resolve) => client.once('ready', resolve)),
      ),
    );
  });

  afterAll(async () => {
    await pubsub?.close();
    inspector?.disconnect();
    await server?.stop();
  });

  async function take(events: AsyncIterator<Event>, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(((await events.next()).value as Event).id);
    return ids;
  }

  /** How many connections listen on `channel` in Redis (on a cluster, on all its nodes). */
  async function listeners(channel: string): Promise<number> {
    const nodes = inspector instanceof Cluster ? inspector.nodes('master') : [inspector];
    const counts = await Promise.all(nodes.map((node) => node.pubsub('NUMSUB', channel) as Promise<[string, number]>));
    return counts.reduce((sum, [, count]) => sum + count, 0);
  }

  const keyOf = (event: Event) => event.id;

  /** The subscriber gets `replayed`, then `live` once published; the subscription is ended either way. */
  async function expectReplayThenLive(events: AsyncIterator<Event>, channel: string, replayed: string[], live: string) {
    try {
      expect(await take(events, replayed.length)).toEqual(replayed);
      await pubsub.publish(channel, { id: live });
      expect(await take(events, 1)).toEqual([live]);
    } finally {
      await events.return?.();
    }
  }

  /** Publishes `ids` on `channel` and waits until they were delivered: what happens live while a replay reads. */
  async function publishAndWait(channel: string, ids: string[]): Promise<void> {
    let heard: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => (heard = resolve));
    const watch = await pubsub.subscribe(channel, (event: Event) => event.id === ids.at(-1) && heard());
    for (const id of ids) await pubsub.publish(channel, { id });
    await delivered;
    pubsub.unsubscribe(watch);
  }

  describe('createPubSub', () => {
    it('hands each of many subscribers every message, in order, over turns of the event loop', async () => {
      const channel = freshChannel();
      const SUBSCRIBERS = 3_000;
      const MESSAGES = 20;
      const got = Array.from({ length: SUBSCRIBERS }, () => [] as string[]);
      // A turn of the event loop asked for as the first message is handed out (to the first
      // subscriber) finds the others only partly served: messages do not hold the event loop
      // until every subscriber has them.
      let servedAtTurn = -1;
      const ids = [
        await pubsub.subscribe(channel, () => {
          if (servedAtTurn === -1) setImmediate(() => (servedAtTurn = got.filter((m) => m.length > 0).length));
        }),
        ...(await Promise.all(
          got.map((mine) => pubsub.subscribe(channel, (event: Event) => void mine.push(event.id))),
        )),
      ];
      try {
        // From one node: on a cluster, messages published on different nodes may arrive in any order.
        const publisher = new Redis(server.url);
        for (let i = 0; i < MESSAGES; i++) await publisher.publish(channel, JSON.stringify({ id: String(i) }));
        publisher.disconnect();
        const expected = Array.from({ length: MESSAGES }, (_, i) => String(i));
        await vi.waitFor(() => expect(got.every((mine) => mine.length === MESSAGES)).toBe(true), { timeout: 10_000 });
        for (const mine of got) expect(mine).toEqual(expected);
        expect(servedAtTurn).toBeGreaterThan(0);
        expect(servedAtTurn).toBeLessThan(SUBSCRIBERS);
      } finally {
        for (const id of ids) pubsub.unsubscribe(id);
      }
    });
  });

  /**
   * The two ways a subscription's events are taken: by iterating (graphql's subscribe), and by a
   * sink given to [LISTEN] (the socket's delivery, websocket.ts), read here through an iterator.
   */
  const takers: Record<string, (events: LiveEvents<Event>) => AsyncIterator<Event>> = {
    'an iterator': (events) => events,
    'a sink': (events) => {
      const got: Event[] = [];
      let ending: { error?: unknown } | undefined;
      let wake = () => undefined as void;
      events[LISTEN]({
        event: (event) => {
          got.push(event);
          wake();
        },
        end: (error) => {
          ending = { error };
          wake();
        },
      });
      return {
        next: async () => {
          while (got.length === 0 && !ending) await new Promise<void>((resolve) => (wake = resolve));
          if (got.length > 0) return { value: got.shift()!, done: false };
          const error = ending?.error;
          ending = {};
          if (error !== undefined) throw error;
          return { value: undefined, done: true };
        },
        return: () => events.return(),
      };
    },
  };

  describe.each(Object.keys(takers))('replayThenLive, taken by %s', (taker) => {
    const subscribe = (channel: string, replay: Replay<Event>) =>
      takers[taker]!(replayThenLive<Event>(pubsub, channel, replay, logger));

    it('gives the replayed events first, then the live ones', async () => {
      const channel = freshChannel();
      const events = subscribe(channel, { read: async () => [{ id: 'a' }, { id: 'b' }], keyOf });
      await expectReplayThenLive(events, channel, ['a', 'b'], 'c');
    });

    it('holds the events published during the read until the replay is out, without the replayed ones twice', async () => {
      const channel = freshChannel();
      const read = async (): Promise<Event[]> => {
        // 'b' is both in the read and live; 'c' is live only. Both reach the subscription before the read ends.
        await publishAndWait(channel, ['b', 'c']);
        return [{ id: 'a' }, { id: 'b' }];
      };
      const events = subscribe(channel, { read, keyOf });
      await expectReplayThenLive(events, channel, ['a', 'b', 'c'], 'd');
    });

    it('drops a live event the client had before it subscribed (late from another cluster node)', async () => {
      const channel = freshChannel();
      const read = async (): Promise<Event[]> => {
        // '0' is at the client's cursor: it comes live, as it can when it was forwarded between nodes.
        await publishAndWait(channel, ['0']);
        return [{ id: '1' }];
      };
      const events = subscribe(channel, { read, keyOf, seen: (e) => e.id <= '0' });
      await expectReplayThenLive(events, channel, ['1'], '2');
    });

    it("ends with the read's error, and stops listening on the channel", { timeout: 5_000 }, async () => {
      const channel = freshChannel();
      const read = async (): Promise<Event[]> => {
        throw new Error('Postgres is not available right now');
      };
      const events = subscribe(channel, { read, keyOf });

      await expect(events.next()).rejects.toThrow('Postgres is not available right now');
      await expect.poll(() => listeners(channel)).toBe(0);
      expect(await events.next()).toEqual({ done: true, value: undefined });
    });

    it('stops listening on the channel when the subscriber leaves', async () => {
      const channel = freshChannel();
      const events = subscribe(channel, { read: async () => [{ id: 'a' }], keyOf });
      await take(events, 1);
      expect(await listeners(channel)).toBe(1);

      await events.return?.();

      await expect.poll(() => listeners(channel)).toBe(0);
    });

    it('ends with the error of an event its checks cannot read, and stops listening on the channel', async () => {
      const channel = freshChannel();
      const seen = (event: Event) => {
        if (typeof event.id !== 'string') throw new TypeError('an event without an id');
        return false;
      };
      const events = subscribe(channel, { read: async () => [{ id: 'a' }], keyOf, seen });
      await take(events, 1);

      await pubsub.publish(channel, { note: 'no id' });

      await expect(events.next()).rejects.toThrow('an event without an id');
      await expect.poll(() => listeners(channel)).toBe(0);
    });
  });

  describe('publishSubmitted', () => {
    it('announces a stored submission on valueSubmitted, its bigint id as a string', async () => {
      const keys = redisKeys('t:');
      const listener = new Redis(server.url);
      try {
        const heard = new Promise<ValueSubmittedEvent>((resolve) =>
          listener.on('message', (_channel: string, message: string) => resolve(JSON.parse(message))),
        );
        await listener.subscribe(keys.valueSubmitted);
        const submittedAt = new Date(1_764_000_000_000);

        publishSubmitted(pubsub, keys, { id: 9_007_199_254_740_993n, index: 42, submittedAt }, logger);

        expect(await heard).toEqual({ id: '9007199254740993', index: 42, submittedAt: 1_764_000_000_000 });
      } finally {
        listener.disconnect();
      }
    });
  });
});

/** A pub/sub on a redis-server of its own, connected; it records the rejections nobody heard until `end()`. */
async function ownRedis() {
  const server = await startRedisServer();
  const pubsub = createPubSub(server.url, 500, logger);
  const unheard: unknown[] = [];
  const hear = (reason: unknown) => unheard.push(reason);
  process.on('unhandledRejection', hear);
  const subscriber = pubsub.getSubscriber();
  const ready = () =>
    new Promise((resolve) => (subscriber.status === 'ready' ? resolve(null) : subscriber.once('ready', resolve)));
  await ready();
  return {
    server,
    pubsub,
    subscriber,
    unheard,
    ready,
    end: () => {
      process.off('unhandledRejection', hear);
      pubsub.getPublisher().disconnect();
      subscriber.disconnect();
    },
  };
}

describe('a subscriber leaving while Redis is away', () => {
  it('is no failure that nobody hears (which would end the gateway)', async () => {
    const { server, pubsub, subscriber, unheard, end } = await ownRedis();
    try {
      const events = liveEvents<Event>(pubsub, 't:outage', logger);
      const first = events.next();
      const inspector = new Redis(server.url);
      await expect.poll(async () => ((await inspector.pubsub('NUMSUB', 't:outage')) as [string, number])[1]).toBe(1);
      inspector.disconnect();
      await server.stop();
      await expect.poll(() => subscriber.status).not.toBe('ready');

      await events.return();
      expect(await first).toEqual({ done: true, value: undefined });
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(unheard).toEqual([]);
    } finally {
      end();
    }
  });
});

describe('a subscription to a new channel while Redis is away', () => {
  it('fails with the error (the client subscribes again), takes nothing down, and is asked again once Redis is back', async () => {
    const { server, pubsub, subscriber, unheard, ready, end } = await ownRedis();
    let restarted: { url: string; stop(): Promise<void> } | undefined;
    try {
      const port = new URL(server.url).port;
      await server.stop();
      await expect.poll(() => subscriber.status).not.toBe('ready');

      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(liveEvents<Event>(pubsub, 't:away', logger).next()).rejects.toThrow();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unheard).toEqual([]);

      // Back: the channel is asked for again, and its events come.
      restarted = await startRedisServer({ port: Number(port) });
      await ready();
      const events = liveEvents<Event>(pubsub, 't:away', logger);
      const first = events.next();
      const publisher = new Redis(restarted.url);
      await expect.poll(async () => ((await publisher.pubsub('NUMSUB', 't:away')) as [string, number])[1]).toBe(1);
      await publisher.publish('t:away', JSON.stringify({ id: 'back' }));
      publisher.disconnect();
      expect((await first).value).toEqual({ id: 'back' });
      await events.return();
    } finally {
      end();
      await restarted?.stop();
    }
  });
});
