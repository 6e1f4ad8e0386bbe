import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnChild } from './child.js';
import { REPO_ROOT } from './migrate.js';

const ENTRY = path.join(REPO_ROOT, 'scripts', 'embedded-postgres-server.ts');

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps the database; only one process may own it at a time. */
  dataDir: string;
  /** Port on 127.0.0.1. Default: a free port chosen by the server. */
  port?: number;
  /** Own process group, so a terminal's Ctrl-C reaches only the orchestrator. Default false. */
  detached?: boolean;
  /** Receives the server's output lines. Default: kept silent, shown only on failure. */
  onLine?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /**
   * DATABASE_URL for the one client that may be connected at a time. Every pool using it needs
   * `max: 1`; a second concurrent connection is refused ("Too many connections").
   */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts Postgres-on-PGlite in a child process; takes about 5 s, mostly PGlite's own start. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = ['--import', 'tsx', ENTRY, '--data-dir', opts.dataDir, '--port', String(opts.port ?? 0)];
  const child = spawnChild('embedded Postgres', process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: opts.detached ?? false,
    onLine: opts.onLine,
  });
  let port: number;
  try {
    port = await Promise.race([
      new Promise<number>((resolve) => {
        child.process.on('message', (message: { type?: string; port?: number }) => {
          if (message.type === 'ready' && typeof message.port === 'number') resolve(message.port);
        });
      }),
      child.exitedEarly,
    ]);
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    stop: () => child.stop('SIGTERM', 20_000),
  };
}
