import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { redisKeys, type ValueSubmittedEvent } from '@fibgraph/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '@fibgraph/devstack';
import { createLogger } from './logger.js';
import { createPubSub, publishSubmitted, replayThenLive } from './pubsub.js';

interface Event {
  id: string;
}

const logger = createLogger('pubsub-test', 'silent');
let server: RedisServer;
let pubsub: RedisPubSub;
let inspector: Redis;
let channels = 0;
/** A channel no other test uses. */
const freshChannel = () => `t:channel-${++channels}`;

beforeAll(async () => {
  server = await startRedisServer();
  pubsub = createPubSub(server.url, 2_000, logger);
  inspector = new Redis(server.url);
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

/** How many connections listen on `channel` in Redis. */
async function listeners(channel: string): Promise<number> {
  const [, count] = (await inspector.pubsub('NUMSUB', channel)) as [string, number];
  return count;
}

const keyOf = (event: Event) => event.id;

describe('replayThenLive', () => {
  it('gives the replayed events first, then the live ones', async () => {
    const channel = freshChannel();
    const events = replayThenLive<Event>(
      pubsub,
      channel,
      { read: async () => [{ id: 'a' }, { id: 'b' }], keyOf },
      logger,
    );
    try {
      expect(await take(events, 2)).toEqual(['a', 'b']);
      await pubsub.publish(channel, { id: 'c' });
      expect(await take(events, 1)).toEqual(['c']);
    } finally {
      await events.return?.();
    }
  });

  it('holds the events published during the read until the replay is out, without the replayed ones twice', async () => {
    const channel = freshChannel();
    const read = async (): Promise<Event[]> => {
      // 'b' is both in the read and live; 'c' is live only. Both reach the subscription before the read ends.
      let heard: () => void = () => undefined;
      const bothHeard = new Promise<void>((resolve) => (heard = resolve));
      const seen = await pubsub.subscribe(channel, (event: Event) => event.id === 'c' && heard());
      await pubsub.publish(channel, { id: 'b' });
      await pubsub.publish(channel, { id: 'c' });
      await bothHeard;
      pubsub.unsubscribe(seen);
      return [{ id: 'a' }, { id: 'b' }];
    };
    const events = replayThenLive<Event>(pubsub, channel, { read, keyOf }, logger);
    try {
      expect(await take(events, 3)).toEqual(['a', 'b', 'c']);
      await pubsub.publish(channel, { id: 'd' });
      expect(await take(events, 1)).toEqual(['d']);
    } finally {
      await events.return?.();
    }
  });

  it("ends with the read's error, and stops listening on the channel", { timeout: 5_000 }, async () => {
    const channel = freshChannel();
    const read = async (): Promise<Event[]> => {
      throw new Error('Postgres is not available right now');
    };
    const events = replayThenLive<Event>(pubsub, channel, { read, keyOf }, logger);

    await expect(events.next()).rejects.toThrow('Postgres is not available right now');
    await expect.poll(() => listeners(channel)).toBe(0);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('stops listening on the channel when the subscriber leaves', async () => {
    const channel = freshChannel();
    const events = replayThenLive<Event>(pubsub, channel, { read: async () => [{ id: 'a' }], keyOf }, logger);
    await take(events, 1);
    expect(await listeners(channel)).toBe(1);

    await events.return?.();

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
