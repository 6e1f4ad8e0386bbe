import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fibonacci } from '@fibgraph/core';
import {
  createTestDatabase,
  spawnGateway,
  spawnWorker,
  startRedisCluster,
  type ManagedChild,
  type RedisCluster,
} from '@fibgraph/devstack';
import { GraphQLClient } from './graphql-client.js';
import { SUBMIT, type CalculationData } from './operations.js';

/**
 * The built gateway and worker on a Redis Cluster of three masters (REDIS_CLUSTER=true, the
 * default tagged prefix): submissions, jobs in every lane, results and their live announcements
 * work as on one Redis, and every key is in one slot, so on one node (docs/redis.md).
 */
let cluster: RedisCluster;
let db: { url: string; drop(): Promise<void> };
const children: ManagedChild[] = [];
let client: GraphQLClient;

/**
 * The URL of a node that does not hold the slot of `{fib}`: seeded with it, the services must
 * follow the cluster's map (a plain client would get MOVED) to reach their keys.
 */
async function notHoldingFib(): Promise<string> {
  const inspector = new Cluster([new URL(cluster.url).host]);
  try {
    const slot = (await inspector.cluster('KEYSLOT', '{fib}:results')) as number;
    const holder = inspector.slots[slot]![0]!;
    return `redis://127.0.0.1:${cluster.ports.find((port) => !holder.endsWith(`:${port}`))}`;
  } finally {
    inspector.disconnect();
  }
}

beforeAll(async () => {
  [cluster, db] = await Promise.all([startRedisCluster(), createTestDatabase(inject('pgAdminUrl'))]);
  const env = { PATH: process.env.PATH, NODE_ENV: 'test', REDIS_URL: await notHoldingFib(), REDIS_CLUSTER: 'true' };
  const gateway = await spawnGateway({ ...env, DATABASE_URL: db.url, RECONCILE_INTERVAL_MS: '300' });
  const worker = spawnWorker(env);
  children.push(gateway.child, worker.child);
  await Promise.all([gateway.ready(), worker.ready()]);
  client = new GraphQLClient(`127.0.0.1:${gateway.port}`);
});

afterAll(async () => {
  await client?.close();
  await Promise.all(children.map((child) => child.stop('SIGTERM', 5_000)));
  await cluster?.stop();
  await db?.drop();
});

type Event = { valueCalculated: CalculationData & { cursor: string } };

describe('on a Redis Cluster', () => {
  it('computes submissions of every lane and announces each exactly once, in the order of the feed', async () => {
    const { data } = await client.request<{ feedCursor: string }>('{ feedCursor }');
    const events = await client.subscribe<Event>(
      'subscription ($after: ID) { valueCalculated(after: $after) { index status value digits cursor } }',
      { after: data!.feedCursor },
    );
    const indexes = [90, 50_000, 250_000];
    for (const index of indexes) {
      const { errors } = await client.request(SUBMIT, { index });
      expect(errors).toBeUndefined();
    }

    for (const index of indexes) {
      const event = await events.waitFor((e) => e.valueCalculated.index === index, 30_000);
      expect(event.valueCalculated).toMatchObject({ status: 'DONE', value: fibonacci(index).toString() });
    }
    const cursors = events.events.map((e) => Number(e.valueCalculated.cursor.split(':')[1]));
    expect(cursors).toEqual([1, 2, 3]);
  });

  it('keeps every key on one node: the one holding the tag {fib}', async () => {
    const inspector = new Cluster([new URL(cluster.url).host]);
    try {
      await inspector.ping();
      const masters = inspector.nodes('master');
      const sizes = await Promise.all(masters.map((node) => node.dbsize()));
      expect(sizes.filter((size) => size > 0)).toHaveLength(1);
      const keys = (await Promise.all(masters.map((node) => node.keys('*')))).flat();
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) expect(key.startsWith('{fib}:'), key).toBe(true);
    } finally {
      inspector.disconnect();
    }
  });
});
