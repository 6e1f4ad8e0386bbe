import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { aptInstall, findExecutable, userIds } from './apt.js';
import { spawnChild, type ManagedChild } from './child.js';
import { killStalePidfile } from './pidfile.js';
import { getFreePort, waitUntil } from './ports.js';
import { REPO_ROOT } from './repo.js';

export interface PostgresOptions {
  /**
   * `embedded`: PGlite in a child process (pglite-server.ts); nothing to install, but it serves
   * exactly one connection at a time. `cluster`: a private real Postgres from the machine's
   * initdb/postgres binaries (installed with apt when we are root and they are missing).
   */
  kind: 'embedded' | 'cluster';
  /** Where the data lives; created when missing, reused when it already holds a database. */
  dataDir: string;
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Cluster only: trade crash safety for speed (fsync off), for throwaway test clusters. */
  ephemeral?: boolean;
  /** Own process group, so a terminal's Ctrl-C reaches only the orchestrator. Default false. */
  detached?: boolean;
  /** Embedded only: how long a connection waits for the one before it to close before it is refused (53300). Default 30 s. */
  turnWaitMs?: number;
  /** Receives the server's output lines. Default: kept, shown only if it fails to start. */
  onLine?: (line: string) => void;
}

export interface LocalPostgres {
  /** Superuser URL of the `postgres` database (trust auth, 127.0.0.1 only). */
  adminUrl: string;
  port: number;
  /** Environment a service needs to use this server correctly (the embedded one: a pool of 1). */
  serviceEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The one way the stack and the tests start a Postgres of their own; it runs as a child process, never a daemon. */
export async function launchPostgres(opts: PostgresOptions): Promise<LocalPostgres> {
  return opts.kind === 'embedded' ? launchEmbedded(opts) : launchCluster(opts);
}

const SHARED_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * A Postgres superuser URL for the test suite: TEST_DATABASE_URL when set, else the machine's own
 * server at 127.0.0.1:5432 when it trusts user postgres, else a throwaway private cluster.
 */
export async function ensurePostgres(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) return { adminUrl: configured, stop: async () => {} };
  if (await canConnect(SHARED_URL)) return { adminUrl: SHARED_URL, stop: async () => {} };

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-pg-'));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const server = await launchPostgres({ kind: 'cluster', dataDir, ephemeral: true });
    return { adminUrl: server.adminUrl, stop: () => server.stop().finally(removeData) };
  } catch (error) {
    removeData();
    throw error;
  }
}

async function launchEmbedded(opts: PostgresOptions): Promise<LocalPostgres> {
  mkdirSync(opts.dataDir, { recursive: true });
  const entry = path.join(import.meta.dirname, 'pglite-server.ts');
  const args = ['--import', 'tsx', entry, '--data-dir', opts.dataDir, '--port', String(opts.port ?? 0)];
  if (opts.turnWaitMs !== undefined) args.push('--turn-wait-ms', String(opts.turnWaitMs));
  const child = spawnChild('embedded Postgres', process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: opts.detached ?? false,
    onLine: opts.onLine,
  });
  const port = await untilReady(
    child,
    new Promise<number>((resolve) => {
      child.process.on('message', (message: { type?: string; port?: number }) => {
        if (message.type === 'ready' && typeof message.port === 'number') resolve(message.port);
      });
    }),
  );
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    // A second connection waits until the first closes (pglite-server.ts): a pool must hold one only.
    serviceEnv: { DATABASE_POOL_MAX: '1' },
    stop: () => child.stop('SIGTERM', 20_000),
  };
}

async function launchCluster(opts: PostgresOptions): Promise<LocalPostgres> {
  const bin = ensurePostgresBinDir();
  // initdb and postgres refuse to run as root; as root we drop to the `postgres` OS user the Debian package creates.
  const ids = process.getuid?.() === 0 ? userIds('postgres') : undefined;
  if (process.getuid?.() === 0 && !ids) {
    throw new Error(
      'running as root, but there is no `postgres` OS user to run the server as (create it: useradd --system postgres)',
    );
  }
  const asUser = { ...ids, cwd: '/', env: { ...process.env, LC_ALL: 'C' } };
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(opts.dataDir, ids.uid, ids.gid);

  // A server orphaned by a stack that was killed hard still holds the cluster; SIGINT is its fast shutdown.
  await killStalePidfile(path.join(opts.dataDir, 'postmaster.pid'), 'postgres', 'SIGINT');
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    const initArgs = ['-D', opts.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
    const init = spawnSync(path.join(bin, 'initdb'), initArgs, { ...asUser, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}${init.error?.message ?? ''}`);
  }

  const port = opts.port ?? (await getFreePort());
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=200'];
  if (opts.ephemeral) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const args = ['-D', opts.dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
  const child = spawnChild('postgres', path.join(bin, 'postgres'), args, {
    ...asUser,
    detached: opts.detached ?? false,
    onLine: opts.onLine,
  });
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await untilReady(
    child,
    waitUntil(`postgres on port ${port}`, () => canConnect(adminUrl), { timeoutMs: 60_000, abort: child.exitedEarly }),
  );
  // SIGINT is Postgres' "fast" shutdown: it ends open sessions instead of waiting for them (SIGTERM would wait).
  return { adminUrl, port, serviceEnv: {}, stop: () => child.stop('SIGINT', 30_000) };
}

/** Resolves with `ready`, or kills the child and rethrows when it exits first or `ready` fails. */
async function untilReady<T>(child: ManagedChild, ready: Promise<T>): Promise<T> {
  try {
    return await Promise.race([ready, child.exitedEarly]);
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The directory holding `initdb` and `postgres`: Debian's newest /usr/lib/postgresql/<v>/bin, else wherever `initdb` on PATH really lives. */
export function findPostgresBinDir(): string | undefined {
  const complete = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'));
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = path.join(DEBIAN_ROOT, version, 'bin');
      if (complete(dir)) return dir;
    }
  }
  const initdb = findExecutable('initdb');
  if (initdb) {
    const dir = path.dirname(realpathSync(initdb));
    if (complete(dir)) return dir;
  }
  return undefined;
}

function ensurePostgresBinDir(): string {
  const found = findPostgresBinDir();
  if (found) return found;
  aptInstall('postgresql', 'the PostgreSQL server binaries (initdb, postgres) are not installed');
  const installed = findPostgresBinDir();
  if (!installed) throw new Error(`apt-get installed postgresql but no initdb was found under ${DEBIAN_ROOT}`);
  return installed;
}

/** True when `url` accepts a connection and a trivial query within about a second. */
export async function canConnect(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `adminUrl` pointed at database `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The URL of database `name` on the server of `adminUrl`, created when missing. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
  return databaseUrl(adminUrl, name);
}

/** Runs `use` on a connection to `url`, closing it afterwards whatever happens. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
