import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { createTestDatabase, findNginx, startRedisServer } from '@fibgraph/devstack';
import { clearFailureScreenshots } from './artifacts.js';
import { CHROMIUM } from './browser.js';
import type {} from '@fibgraph/devstack/global-setup';
import type {} from './env.js';
import { startStack } from './stack.js';

/**
 * Once per run of the e2e project, after packages/devstack/src/test/global-setup.ts has provided a Postgres: one
 * local stack for every browser test, through the real nginx, with two gateways (so that one can
 * be killed while the other serves) and therefore a real Postgres database of its own, and a
 * redis-server of its own.
 * A missing nginx or Chromium fails the run with the command that installs it; nothing is skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = [findNginx() ? [] : ['nginx'], existsSync(CHROMIUM) ? [] : ['chromium']].flat();
  if (missing.length > 0) {
    throw new Error(
      `the browser tests need ${missing.join(' and ')} (Debian packages): apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  clearFailureScreenshots();

  // The stack's Postgres database and Redis are the run's own, so tests can check what was stored.
  const started = await Promise.allSettled([
    createTestDatabase(project.getProvidedContext().pgAdminUrl),
    startRedisServer(),
  ]);
  const [dbStart, redisStart] = started;
  if (dbStart.status === 'rejected' || redisStart.status === 'rejected') {
    if (dbStart.status === 'fulfilled') await dbStart.value.drop();
    if (redisStart.status === 'fulfilled') await redisStart.value.stop();
    throw started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')?.reason;
  }
  const [db, redis] = [dbStart.value, redisStart.value];
  const dropData = () => Promise.all([db.drop(), redis.stop()]);
  const running = await startStack({ GATEWAYS: '2', WORKERS: '1', DATABASE_URL: db.url, REDIS_URL: redis.url }).catch(
    async (error) => {
      await dropData();
      throw error;
    },
  );
  project.provide('stack', { baseUrl: running.baseUrl, pid: running.pid, databaseUrl: db.url, redisUrl: redis.url });

  return async () => {
    try {
      await running.stop();
    } finally {
      await dropData();
    }
  };
}
