/**
 * Many clients from one machine: every address of 127.0.0.0/8 is this machine, and to nginx each
 * is another client (ENVIRONMENT.md), so crowd and fuzz tests give each client an address of its
 * own, as many people would have, and nginx's per-address limits act as in production.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { LANES, redisKeys } from '@fibgraph/core';
import { entriesAdded } from '../gateway/test/system.js';
import { stack, waitFor } from './env.js';

/** The n-th address of a block of loopback addresses `127.<block>.x.y` (n < 65,024). */
export function loopback(block: number, n: number): string {
  return `127.${block}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}

/** A graphql-ws socket through nginx from `address`, driven message by message. */
export function openSocket(address: string): WebSocket {
  return new WebSocket(`${stack().baseUrl.replace(/^http/, 'ws')}/api/graphql`, 'graphql-transport-ws', {
    localAddress: address,
  });
}

/** What the stack has stored: submissions in Postgres, jobs ever added to the Redis lanes. */
export async function storedSoFar(): Promise<{ submissions: number; jobs: number }> {
  const db = new pg.Client({ connectionString: stack().databaseUrl });
  const redis = new Redis(stack().redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await db.connect();
    const submissions = Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count);
    const keys = redisKeys('fib:');
    const added = await Promise.all(LANES.map((lane) => entriesAdded(redis, keys.jobs(lane))));
    return { submissions, jobs: added.reduce((sum, n) => sum + n, 0) };
  } finally {
    await db.end();
    redis.disconnect();
  }
}

/** Resolves once no job waits in any lane: what earlier tests submitted is done, nothing more will be stored. */
export async function settledStack(): Promise<void> {
  const redis = new Redis(stack().redisUrl, { maxRetriesPerRequest: 1 });
  const keys = redisKeys('fib:');
  try {
    await waitFor('the stack to have no job waiting', async () => {
      const lengths = await Promise.all(LANES.map((lane) => redis.xlen(keys.jobs(lane))));
      const pending = await redis.scard(keys.pending);
      return lengths.every((n) => n === 0) && pending === 0 ? true : undefined;
    });
  } finally {
    redis.disconnect();
  }
}

/** Runs `work` on every item, at most `concurrency` at a time. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
