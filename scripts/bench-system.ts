/**
 * What the benches run against: the built gateways and workers, started with the commands the
 * images run, on a private redis-server and a Postgres database of their own (nothing of a running
 * stack is touched). Everything started is stopped after `run`, whatever it does.
 */
import { Redis } from 'ioredis';
import {
  createTestDatabase,
  ensurePostgres,
  getFreePort,
  REPO_ROOT,
  spawnChild,
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

/** `run` gets the gateways' ports and a Redis connection for watching; the workers may still be starting. */
export async function withBenchSystem<T>(
  opts: BenchSystemOptions,
  run: (ports: [number, ...number[]], redis: Redis) => Promise<T>,
): Promise<T> {
  const postgres = await ensurePostgres();
  const [db, redisServer] = await Promise.all([createTestDatabase(postgres.adminUrl), startRedisServer()]);
  const base = { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', REDIS_URL: redisServer.url };
  const env = { ...base, ...opts.env };
  const children: ManagedChild[] = [];
  const start = (name: string, entry: string, childEnv: Record<string, string | undefined>) => {
    const child = spawnChild(name, process.execPath, [entry], { cwd: REPO_ROOT, env: childEnv });
    children.push(child);
    return child;
  };
  const redis = new Redis(redisServer.url);
  try {
    const ports: number[] = [];
    for (let n = 0; n < Math.max(1, opts.gateways ?? 1); n++) {
      const port = await getFreePort();
      const gatewayEnv = { ...env, ...opts.gatewayEnv, DATABASE_URL: db.url, PORT: String(port) };
      const child = start('gateway', 'gateway/dist/index.js', gatewayEnv);
      await waitUntil('gateway', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
        timeoutMs: 30_000,
        abort: child.exitedEarly,
      });
      ports.push(port);
    }
    for (let n = 0; n < (opts.workers ?? 1); n++)
      start('worker', 'worker/dist/index.js', { ...env, HEALTH_FILE: 'off' });
    return await run(ports as [number, ...number[]], redis);
  } finally {
    redis.disconnect();
    await Promise.all(children.map((child) => child.stop('SIGTERM', 5_000)));
    await redisServer.stop();
    await db.drop();
    await postgres.stop();
  }
}
