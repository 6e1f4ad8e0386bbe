/**
 * The local stack behind `npm start`: Postgres and Redis (the caller's, or private ones with data
 * in .data/), migrations, then gateways, workers, the web client and the routing proxy on
 * http://localhost:8080, all from the same built output the container images run.
 * Ctrl-C or SIGTERM stops everything in reverse order. See docs/local-stack.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stackLog as log } from './log.js';
import { runMigrations } from './migrate.js';
import { acquirePidLock } from './pidfile.js';
import { isPortFree, waitUntil } from './ports.js';
import { runServices } from './services.js';
import { readStackConfig } from './stack-config.js';
import { DATA_DIR, provideDatabase, provideRedis, type Provided } from './stack-infra.js';
import { assertBuilt, buildServices, chooseProxy } from './stack-services.js';
import { stopOnSignals, Teardown } from './teardown.js';

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const teardown = new Teardown();

async function main(): Promise<void> {
  const config = readStackConfig(process.env);
  assertBuilt();
  const proxy = chooseProxy(config);
  if (!(await isPortFree(config.FIBGRAPH_PORT, '0.0.0.0'))) {
    throw new Error(`port ${config.FIBGRAPH_PORT} is in use; stop what holds it or set FIBGRAPH_PORT`);
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const releaseLock = acquirePidLock(path.join(DATA_DIR, 'stack.pid'), 'another local stack');
  teardown.add('the stack lock', async () => releaseLock());
  stopOnSignals(teardown, () => void shutdown());

  // Both take seconds (PGlite mostly); start them side by side, and stop whichever came up if the other failed.
  const [db, redis] = await Promise.allSettled([provideDatabase(config), provideRedis(config)]);
  for (const [name, outcome] of Object.entries({ Postgres: db, Redis: redis })) {
    if (outcome.status === 'fulfilled' && outcome.value.stop) teardown.add(name, outcome.value.stop);
  }
  if (db.status === 'rejected') throw db.reason;
  if (redis.status === 'rejected') throw redis.reason;
  if (teardown.stopping) return;

  await runMigrations(db.value.url, db.value.env);
  log.info(`migrations applied (${elapsed()})`);
  if (teardown.stopping) return;

  const env = serviceEnv(db.value, redis.value);
  const { services, cleanup, directProbes } = await buildServices({ config, proxy, env });
  const running = runServices(services);
  teardown.add('services', async () => {
    await running.stop();
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  // The services first, directly: asking through nginx while they boot only fills its log with refused connections.
  for (const url of directProbes) await waitForStatus(url, url);
  await waitForStatus(`http://127.0.0.1:${config.FIBGRAPH_PORT}/api/readyz`, '/api/readyz through the proxy');
  await waitForStatus(`http://127.0.0.1:${config.FIBGRAPH_PORT}/`, 'the web client through the proxy');
  if (teardown.stopping) return;
  const workers = `${config.WORKERS} worker${config.WORKERS === 1 ? '' : 's'}`;
  log.info(
    `ready in ${elapsed()}: http://localhost:${config.FIBGRAPH_PORT}  (${config.GATEWAYS} gateway(s), ${workers}, ${proxy} proxy; Ctrl-C stops)`,
  );
}

/** Waits without a deadline for a 200 (a crash-looping service shows in the log), saying every 15 s what it last saw. */
async function waitForStatus(url: string, what: string): Promise<void> {
  let last = 'no answer';
  const nag = setInterval(() => log.info(`still waiting for ${what} (last: ${last})`), 15_000);
  const probe = async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    return response.status === 200;
  };
  const options = { timeoutMs: Number.POSITIVE_INFINITY, intervalMs: 200, abort: teardown.whenStopping };
  await waitUntil(what, probe, options).finally(() => clearInterval(nag));
}

function serviceEnv(db: Provided, redis: Provided): Record<string, string> {
  return { NODE_ENV: process.env.NODE_ENV ?? 'development', ...db.env, DATABASE_URL: db.url, REDIS_URL: redis.url };
}

const started = main().catch((error: unknown) => {
  if (teardown.stopping) return;
  log.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
  void shutdown();
});

/**
 * Lets startup reach its next step (it returns there once stopping is requested), stops everything
 * it started, then exits: idle keep-alive sockets would otherwise hold the process for seconds
 * after its last child is gone.
 */
async function shutdown(): Promise<void> {
  teardown.request();
  await started;
  await teardown.run();
  log.info('stopped');
  process.exit();
}
