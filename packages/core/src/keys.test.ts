import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '@fibgraph/devstack';
import { defaultRedisPrefix, hashTagOf } from './env.js';
import { redisKeys, type RedisKeys } from './keys.js';
import { LANES } from './lanes.js';

// On a Redis Cluster every script and transaction must find all its keys in one slot: the prefix's
// hash tag puts every name of redisKeys there. Redis itself (CLUSTER KEYSLOT) says where each goes.

/** Every name `keys` builds: each field, each key function given a lane, an index or a client address. */
function everyName(keys: RedisKeys): string[] {
  const samples: unknown[] = [...LANES, 0, 1_000_000, '203.0.113.7', '2001:db8::1'];
  return Object.entries(keys).flatMap(([field, name]) => {
    if (typeof name === 'string') return field === 'prefix' ? [] : [name];
    return samples.map((sample) => (name as (arg: unknown) => string)(sample));
  });
}

let server: RedisServer;
let redis: Redis;
const slotOf = async (name: string) => (await redis.cluster('KEYSLOT', name)) as number;

beforeAll(async () => {
  server = await startRedisServer({ settings: { 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf' } });
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('redisKeys on a Redis Cluster', () => {
  it('puts every key, stream and channel name of a tagged prefix in one slot', async () => {
    const keys = redisKeys(defaultRedisPrefix(true));
    // The submit counters as rate-limiter-flexible names them, and the names COMMIT builds itself.
    const names = [
      ...everyName(keys),
      `${keys.submitRate}:203.0.113.7`,
      `${keys.submitBurst}:203.0.113.7`,
      `${keys.prefix}value:42`,
      `${keys.prefix}outstanding:203.0.113.7`,
    ];
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) expect(name.startsWith(keys.prefix), name).toBe(true);

    const slots = new Set(await Promise.all(names.map(slotOf)));
    expect([...slots]).toEqual([await slotOf('fib')]);
  });

  it('builds in COMMIT the same names as keys.ts does (the evicted value, the outstanding set)', () => {
    const keys = redisKeys('{fib}:');
    expect(keys.value(42)).toBe(`${keys.prefix}value:42`);
    expect(keys.outstanding('203.0.113.7')).toBe(`${keys.prefix}outstanding:203.0.113.7`);
  });

  it('spreads the names of an untagged prefix over many slots (why a cluster needs the tag)', async () => {
    const slots = new Set(await Promise.all(everyName(redisKeys(defaultRedisPrefix(false))).map(slotOf)));
    expect(slots.size).toBeGreaterThan(10);
  });
});

describe('hashTagOf', () => {
  it('finds the tag Redis Cluster places keys by, or none', () => {
    expect(hashTagOf('{fib}:')).toBe('fib');
    expect(hashTagOf('app:{fib}:')).toBe('fib');
    expect(hashTagOf('{a}{b}:')).toBe('a');
    for (const prefix of ['fib:', '', '{}:', '{}{fib}:', 'fib{:', 'fib}:{'])
      expect(hashTagOf(prefix), prefix).toBeNull();
  });
});
