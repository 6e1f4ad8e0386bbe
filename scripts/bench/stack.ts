/**
 * The stack `npm run bench` measures: `npm start`'s own (packages/devstack/src/start.ts, built
 * output, nginx on BENCH_PORT, default 8080) in production mode, on a private real Postgres
 * database and a private redis-server, so that neither the embedded single-connection Postgres nor
 * anything of a developer's running stack is measured. Stopped, with everything it started, after `run`.
 */
import path from 'node:path';
import { createTestDatabase, ensurePostgres, startRedisServer } from '@fibgraph/devstack';
import { descendantsOf, listProcesses } from '../../e2e/procs.js';
import { startStack } from '../../e2e/stack.js';
import type { BenchStack } from './section.js';

export const BENCH_PORT = Number(process.env.BENCH_PORT ?? 8080);
/** `npm start`'s defaults unless BENCH_GATEWAYS / BENCH_WORKERS say otherwise. */
export const BENCH_GATEWAYS = process.env.BENCH_GATEWAYS ?? '1';
export const BENCH_WORKERS = process.env.BENCH_WORKERS ?? '1';

type Role = ReturnType<BenchStack['processes']>[number]['role'];
const ROLES: [Role, RegExp][] = [
  ['gateway', /gateway\/dist\/index\.js/],
  ['worker', /worker\/dist\/index\.js/],
  ['nginx', /^nginx: (master|worker) process/],
  ['web', /devstack\/src\/web-server\.ts/],
];

export async function withBenchStack<T>(
  env: Record<string, string>,
  logDir: string,
  run: (stack: BenchStack) => Promise<T>,
): Promise<T> {
  const postgres = await ensurePostgres();
  const [db, redis] = await Promise.all([createTestDatabase(postgres.adminUrl), startRedisServer()]);
  try {
    const running = await startStack(
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        FIBGRAPH_PORT: String(BENCH_PORT),
        GATEWAYS: BENCH_GATEWAYS,
        WORKERS: BENCH_WORKERS,
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        ...env,
      },
      { logFile: path.join(logDir, 'stack.log') },
    );
    try {
      const processes = () => {
        const all = listProcesses();
        const own = descendantsOf(running.pid, all).flatMap(({ pid, command }) => {
          const role = ROLES.find(([, pattern]) => pattern.test(command))?.[0];
          return role ? [{ role, pid }] : [];
        });
        // The bench's own redis-server (the stack was given REDIS_URL, so it started none).
        const servers = descendantsOf(process.pid, all).filter((p) => /\bredis-server /.test(p.command));
        return [...own, ...servers.map(({ pid }) => ({ role: 'redis' as const, pid }))];
      };
      return await run({ baseUrl: running.baseUrl, processes, redisUrl: redis.url });
    } finally {
      await running.stop();
    }
  } finally {
    await redis.stop();
    await db.drop();
    await postgres.stop();
  }
}
