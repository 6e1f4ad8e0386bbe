/**
 * What the benches run against: the built gateways and workers, started with the commands the
 * images run, on a private redis-server and a Postgres database of their own (nothing of a running
 * stack is touched). Everything started is stopped after `run`, whatever it does.
 */
import { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from '../packages/core/src/index.js';
import {
  createTestDatabase,
  ensurePostgres,
  spawnGateway,
  spawnWorker,
  startRedisServer,
  waitUntil,
  type ManagedChild,
} from '@fibgraph/devstack';

export interface BenchSystemOptions {
  /** At least 1 (the default). */
  gateways?: number;
  workers?: number;
  /** For gateways and workers alike. */
  env?: Record<string, string>;
  /** For the gateways only. */
  gatewayEnv?: Record<string, string>;
}

/** The benches' keys: the services run with the default prefix. */
export const keys: RedisKeys = redisKeys('fib:');

/** One Postgres for the whole bench run (starting one can take seconds), stopped as the process exits. */
let postgres: ReturnType<typeof ensurePostgres> | undefined;
function benchPostgres(): ReturnType<typeof ensurePostgres> {
  if (!postgres) {
    postgres = ensurePostgres();
    const started = postgres;
    process.once('beforeExit', () => void started.then((pg) => pg.stop()));
  }
  return postgres;
}

/** A GraphQL POST to a gateway, as from `client` (the gateway trusts one proxy hop: X-Forwarded-For). */
export async function post(port: number, query: string, client?: string): Promise<{ errors?: unknown[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client ? { 'x-forwarded-for': client } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { errors?: unknown[] };
}

/** What a bench may look at besides the ports: the database, and the processes (for their CPU time). */
export interface BenchSystemParts {
  databaseUrl: string;
  gatewayPids: number[];
  workerPids: number[];
}

/** `run` gets the gateways' ports and a Redis connection for watching, once every worker reads jobs. */
export async function withBenchSystem<T>(
  opts: BenchSystemOptions,
  run: (ports: [number, ...number[]], redis: Redis, parts: BenchSystemParts) => Promise<T>,
): Promise<T> {
  const postgres = await benchPostgres();
  const [db, redisServer] = await Promise.all([createTestDatabase(postgres.adminUrl), startRedisServer()]);
  const base = { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', REDIS_URL: redisServer.url };
  const env = { ...base, ...opts.env };
  const children: ManagedChild[] = [];
  const redis = new Redis(redisServer.url);
  try {
    const ports: number[] = [];
    const parts: BenchSystemParts = { databaseUrl: db.url, gatewayPids: [], workerPids: [] };
    for (let n = 0; n < Math.max(1, opts.gateways ?? 1); n++) {
      const gateway = await spawnGateway({ ...env, ...opts.gatewayEnv, DATABASE_URL: db.url });
      children.push(gateway.child);
      parts.gatewayPids.push(gateway.child.process.pid!);
      await gateway.ready();
      ports.push(gateway.port);
    }
    const workers = opts.workers ?? 1;
    for (let n = 0; n < workers; n++) {
      const worker = spawnWorker({ ...env, HEALTH_FILE: 'off' }).child;
      children.push(worker);
      parts.workerPids.push(worker.process.pid!);
    }
    // A worker reads jobs on its connection named worker-blocking (worker/src/index.ts); at LOG_LEVEL
    // warn it does not log that it started.
    const reading = async () => ((await redis.client('LIST')) as string).split(' name=worker-blocking ').length - 1;
    await waitUntil(`${workers} workers`, async () => (await reading()) >= workers, { timeoutMs: 30_000 });
    return await run(ports as [number, ...number[]], redis, parts);
  } finally {
    redis.disconnect();
    await Promise.all(children.map((child) => child.stop('SIGTERM', 5_000)));
    await redisServer.stop();
    await db.drop();
  }
}
