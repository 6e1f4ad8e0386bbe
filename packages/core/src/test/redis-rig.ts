import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startRedisServer, type RedisServer } from '@fibgraph/devstack';
import { CalculationRecords } from '../calculations.js';
import { JobStream } from '../job-stream.js';
import { redisKeys, type RedisKeys } from '../keys.js';

export interface RedisRig {
  redis: Redis;
  keys: RedisKeys;
  records: CalculationRecords;
  /** The job lanes as a worker reads them. */
  jobs: JobStream;
  /** Subscribes to the valueCalculated channel: the array fills as events are announced, until the test ends. */
  announcements(): Promise<string[]>;
}

/**
 * A private redis-server for the calling test file, emptied before each test, with the core's
 * Redis objects on it. Registers the hooks; the fields are set once `beforeAll` has run.
 */
export function redisRig(): RedisRig {
  const rig = { keys: redisKeys('t:') } as RedisRig;
  let server: RedisServer | undefined;
  let blocking: Redis | undefined;
  const listeners: Redis[] = [];
  rig.announcements = async () => {
    const listener = rig.redis.duplicate();
    listeners.push(listener);
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => messages.push(message));
    await listener.subscribe(rig.keys.valueCalculated);
    return messages;
  };
  beforeAll(async () => {
    server = await startRedisServer();
    rig.redis = new Redis(server.url);
    blocking = new Redis(server.url);
    rig.records = new CalculationRecords(rig.redis, rig.keys);
    rig.jobs = new JobStream(rig.redis, blocking, rig.keys, 'test-worker', 60_000);
  });
  afterAll(async () => {
    rig.redis?.disconnect();
    blocking?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await rig.redis.flushall();
    await rig.jobs.ensureGroup();
  });
  afterEach(() => {
    for (const listener of listeners.splice(0)) listener.disconnect();
  });
  return rig;
}
