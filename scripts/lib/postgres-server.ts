import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { userIds } from './apt.js';
import { spawnChild } from './child.js';
import { canConnect, ensurePostgresBinDir } from './pg-binaries.js';
import { killStalePidfile } from './pidfile.js';
import { getFreePort, waitUntil } from './ports.js';

const SHARED_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface PostgresServerOptions {
  /** Cluster directory; initdb runs when it holds no cluster yet. */
  dataDir: string;
  /** Port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** Trade crash safety for speed (fsync off): for throwaway test clusters. Default false. */
  ephemeral?: boolean;
  /** Own process group, so a terminal's Ctrl-C reaches only the orchestrator. Default false. */
  detached?: boolean;
}

export interface PostgresServer {
  /** Superuser URL of the `postgres` database (trust auth, 127.0.0.1 only). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Runs a private Postgres cluster as a child process (not pg_ctl's daemon, so it cannot outlive a normal stop unnoticed). */
export async function startPostgresServer(opts: PostgresServerOptions): Promise<PostgresServer> {
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
  });
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntil(`postgres on port ${port}`, () => canConnect(adminUrl), {
      timeoutMs: 60_000,
      abort: child.exitedEarly,
    });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  // SIGINT is Postgres' "fast" shutdown: it ends open sessions instead of waiting for them (SIGTERM would wait).
  return { adminUrl, port, stop: () => child.stop('SIGINT', 30_000) };
}

/**
 * A Postgres superuser URL for the test suite: TEST_DATABASE_URL when set, else the machine's own
 * server at 127.0.0.1:5432 when it trusts user postgres, else a throwaway private cluster.
 */
export async function ensurePostgres(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) return { adminUrl: configured, stop: async () => {} };
  if (await canConnect(SHARED_URL)) return { adminUrl: SHARED_URL, stop: async () => {} };

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-pg-'));
  try {
    const server = await startPostgresServer({ dataDir, ephemeral: true });
    return {
      adminUrl: server.adminUrl,
      async stop() {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
