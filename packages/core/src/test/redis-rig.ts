import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startRedisCluster, startRedisServer } from '@fibgraph/devstack';
import { CalculationRecords } from '../calculations.js';
import { JobStream } from '../job-stream.js';
import { redisKeys, type RedisKeys } from '../keys.js';
import { createRedisClient, type RedisClient } from '../redis.js';

/** Where a rig's Redis runs: one redis-server, or a Redis Cluster of three masters (the keys then share a hash tag). */
export type RedisKind = 'redis-server' | 'Redis Cluster';
export const REDIS_KINDS: readonly RedisKind[] = ['redis-server', 'Redis Cluster'];

export interface RedisRig {
  redis: RedisClient;
  keys: RedisKeys;
  records: CalculationRecords;
  /** The job lanes as a worker reads them. */
  jobs: JobStream;
  /** Subscribes to the valueCalculated channel: the array fills as events are announced, until the test ends. */
  announcements(): Promise<string[]>;
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A private Redis of `kind` for the calling test file (or describe block), emptied before each
 * test, with the core's Redis objects on it. Registers the hooks; the fields are set once
 * `beforeAll` has run.
 */
export function redisRig(kind: RedisKind = 'redis-server'): RedisRig {
  const cluster = kind === 'Redis Cluster';
  const rig = { keys: redisKeys(cluster ? '{t}:' : 't:') } as RedisRig;
  let stop: (() => Promise<void>) | undefined;
  let blocking: RedisClient | undefined;
  const listeners: RedisClient[] = [];
  /**
   * A connection to subscribe with. On a cluster, to the node holding the keys' slot, where the
   * scripts publish: a subscriber on another node hears events through the cluster bus, a moment
   * later, and so may still hear one published just before it subscribed (docs/redis.md).
   */
  const subscriber = async (): Promise<RedisClient> => {
    if (!(rig.redis instanceof Cluster)) return rig.redis.duplicate();
    const slot = (await rig.redis.cluster('KEYSLOT', rig.keys.feed)) as number;
    const [host, port] = rig.redis.slots[slot]![0]!.split(':');
    return new Redis(Number(port), host!);
  };
  rig.announcements = async () => {
    const listener = await subscriber();
    listeners.push(listener);
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => messages.push(message));
    await listener.subscribe(rig.keys.valueCalculated);
    return messages;
  };
  beforeAll(async () => {
    const server = cluster ? await startRedisCluster() : await startRedisServer();
    stop = () => server.stop();
    // The services' own factory: on a cluster, its Cluster client seeded with one node.
    const connect = (name: string) => createRedisClient(server.url, name, quiet, { cluster });
    rig.redis = connect('test-commands');
    blocking = connect('test-blocking');
    // Once both are ready a cluster client knows every master (flushed below).
    await Promise.all([rig.redis.ping(), blocking.ping()]);
    rig.records = new CalculationRecords(rig.redis, rig.keys);
  });
  afterAll(async () => {
    rig.redis?.disconnect();
    blocking?.disconnect();
    await stop?.();
  });
  beforeEach(async () => {
    // A cluster's FLUSHALL empties the node it reaches only.
    const masters = rig.redis instanceof Cluster ? rig.redis.nodes('master') : [rig.redis];
    await Promise.all(masters.map((node) => node.flushall()));
    // A new one for each test: which lane it reads first depends on how many reads it made before.
    rig.jobs = new JobStream(rig.redis, blocking!, rig.keys, 'test-worker', 60_000);
    await rig.jobs.ensureGroup();
  });
  afterEach(() => {
    for (const listener of listeners.splice(0)) listener.disconnect();
  });
  return rig;
}
