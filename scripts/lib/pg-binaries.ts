import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { aptInstall, findExecutable } from './apt.js';

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

/** Like findPostgresBinDir, installing the Debian package `postgresql` when we are root with apt; otherwise throws naming the command. */
export function ensurePostgresBinDir(): string {
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
