import path from 'node:path';
import { createLog, stackLog as log } from './log.js';
import { ensureDatabase, findPostgresBinDir, launchPostgres } from './postgres.js';
import { startRedisServer } from './redis-server.js';
import { REPO_ROOT } from './repo.js';
import type { StackConfig } from './stack-config.js';

/** Where the stack keeps its data; FIBGRAPH_DATA_DIR moves it (the browser tests use a temp dir). */
export const DATA_DIR = path.resolve(process.env.FIBGRAPH_DATA_DIR || path.join(REPO_ROOT, '.data'));

/** A data directory as a person would type it: relative to the repository when inside it. */
function shown(name: string): string {
  const dir = path.join(DATA_DIR, name);
  const relative = path.relative(REPO_ROOT, dir);
  return relative.startsWith('..') ? dir : relative;
}

export interface Provided {
  url: string;
  /** Set when the stack started the server itself; undefined for one it was given. */
  stop?: () => Promise<void>;
  /** Extra environment the services need to use it correctly. */
  env?: Record<string, string>;
}

/**
 * DATABASE_URL as given, else a server of our own with data under .data/: the embedded PGlite for a
 * single gateway (nothing to install), a private real Postgres for several, since PGlite serves
 * exactly one connection and so cannot be shared by several gateway processes.
 */
export async function provideDatabase(config: StackConfig): Promise<Provided> {
  if (config.DATABASE_URL) {
    log.info('Postgres: using DATABASE_URL');
    return { url: config.DATABASE_URL };
  }
  if (config.GATEWAYS === 1) {
    const started = Date.now();
    const pglog = createLog('postgres');
    const db = await launchPostgres({
      kind: 'embedded',
      dataDir: path.join(DATA_DIR, 'pglite'),
      detached: true,
      onLine: pglog.info,
    });
    const took = ((Date.now() - started) / 1000).toFixed(1);
    log.step(`Postgres: embedded PGlite on port ${db.port}, data in ${shown('pglite')}, up in ${took} s`);
    return { url: db.adminUrl, stop: db.stop, env: db.serviceEnv };
  }
  if (!findPostgresBinDir()) {
    throw new Error(
      `GATEWAYS=${config.GATEWAYS} needs a Postgres that serves several connections, and the embedded one ` +
        'serves exactly one. Set DATABASE_URL to a Postgres of yours, or install the server binaries ' +
        '(apt-get install -y postgresql) and the stack will run a private one in .data/postgres.',
    );
  }
  const server = await launchPostgres({ kind: 'cluster', dataDir: path.join(DATA_DIR, 'postgres'), detached: true });
  const url = await ensureDatabase(server.adminUrl, 'fibgraph');
  log.step(`Postgres: private server on port ${server.port}, data in ${shown('postgres')}`);
  return { url, stop: server.stop };
}

/** REDIS_URL (or REDIS_HOST/REDIS_PORT) as given, else a private redis-server whose append-only file in .data/redis survives restarts. */
export async function provideRedis(config: StackConfig): Promise<Provided> {
  if (config.REDIS_URL) {
    log.info('Redis: using REDIS_URL');
    return { url: config.REDIS_URL };
  }
  if (config.REDIS_HOST) {
    log.info('Redis: using REDIS_HOST/REDIS_PORT');
    return { url: `redis://${config.REDIS_HOST}:${config.REDIS_PORT}` };
  }
  const redis = await startRedisServer({ dir: path.join(DATA_DIR, 'redis'), detached: true });
  log.step(`Redis: private redis-server on port ${redis.port}, data in ${shown('redis')}`);
  return { url: redis.url, stop: redis.stop };
}
