/**
 * The local stack behind `npm start`: Postgres and Redis (the caller's, or private ones with data
 * in .data/); the workers once Redis is up, while Postgres may still be starting; the migrations;
 * then the gateways and the routing proxy (which also serves the web client) on
 * http://localhost:8080, all from the same built output the container images run.
 * Ctrl-C or SIGTERM stops everything in reverse order. See docs/local-stack.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sinceStart, stackLog as log } from './log.js';
import { acquirePidLock } from './pidfile.js';
import { isPortFree, waitUntil } from './ports.js';
import { runServices, type RunningServices } from './services.js';
import { readStackConfig } from './stack-config.js';
import { DATA_DIR, provideDatabase, provideRedis } from './stack-infra.js';
import { assertBuilt, buildServices, buildWorkers, chooseProxy } from './stack-services.js';
import { stopOnSignals, Teardown } from './teardown.js';

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

  // Both take seconds (PGlite mostly, on a core of its own); whichever comes up is stopped at the
  // end even if the other failed, Postgres last.
  const db = provideDatabase(config);
  const redis = provideRedis(config);
  for (const [name, starting, own] of [
    ['Postgres', db, !config.DATABASE_URL],
    ['Redis', redis, !config.REDIS_URL && !config.REDIS_HOST],
  ] as const) {
    starting.catch(() => {}); // awaited below
    if (own) teardown.add(name, async () => (await starting.catch(() => undefined))?.stop?.());
  }
  // Meanwhile, on the other core: the schema engine and Prisma's config loader, for the migrations.
  const deploy = import('@fibgraph/prisma-offline/deploy');
  const deployReady = deploy.then((module) => module.prepareDeploy());
  deployReady.catch(() => {}); // a failure comes back from migrateDeploy below

  const redisEnv = { NODE_ENV: process.env.NODE_ENV ?? 'development', REDIS_URL: (await redis).url };
  if (teardown.stopping) return;
  const running: RunningServices[] = [];
  const cleanup: string[] = [];
  teardown.add('services', async () => {
    // Gateways and proxy first, workers last: the reverse of the start.
    for (const services of running.reverse()) await services.stop();
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });
  const workers = buildWorkers(config, redisEnv);
  if (workers.length > 0) {
    running.push(runServices(workers));
    log.step(`started ${workers.map((worker) => worker.name).join(', ')}`);
  }

  const database = await db;
  if (teardown.stopping) return;
  await deployReady.catch(() => {});
  const applied = await (
    await deploy
  ).migrateDeploy({
    url: database.url,
    poolMax: Number(database.env?.DATABASE_POOL_MAX) || undefined,
  });
  log.step(`migrations: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'none pending'}`);
  if (teardown.stopping) return;

  // Ports are chosen only now, right before the gateways and nginx bind them.
  const env = { ...redisEnv, ...database.env, DATABASE_URL: database.url };
  const built = await buildServices({ config, proxy, env });
  cleanup.push(...built.cleanup);
  running.push(runServices(built.services));

  // The services first, directly: asking through nginx while they boot only fills its log with refused connections.
  for (const url of built.directProbes) await waitForStatus(url, url);
  log.step('gateways up');
  await waitForStatus(`http://127.0.0.1:${config.FIBGRAPH_PORT}/api/readyz`, '/api/readyz through the proxy');
  await waitForStatus(`http://127.0.0.1:${config.FIBGRAPH_PORT}/`, 'the web client through the proxy');
  if (teardown.stopping) return;
  const workerCount = `${config.WORKERS} worker${config.WORKERS === 1 ? '' : 's'}`;
  log.info(
    `ready in ${sinceStart()}: http://localhost:${config.FIBGRAPH_PORT}  (${config.GATEWAYS} gateway(s), ${workerCount}, ${proxy} proxy; Ctrl-C stops)`,
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
  const options = { timeoutMs: Number.POSITIVE_INFINITY, intervalMs: 50, abort: teardown.whenStopping };
  await waitUntil(what, probe, options).finally(() => clearInterval(nag));
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
