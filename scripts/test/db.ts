import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { hasNpmScript, REPO_ROOT, runMigrations } from '../lib/migrate.js';

export interface TestDatabase {
  /** DATABASE_URL of the new database, migrated to the committed schema. */
  url: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named database per caller, so test files never see each other's rows. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `fibgraph_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () =>
    withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {});
  try {
    if (hasNpmScript('db:migrate')) await runMigrations(url.toString());
    else await applyMigrationFiles(url.toString());
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: url.toString(), drop };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

// TEMPORARY: `npm run db:migrate` (the offline-capable Prisma wrapper) is being written in
// parallel; until it exists, run the committed SQL directly. Delete once the script exists.
async function applyMigrationFiles(url: string): Promise<void> {
  const dir = path.join(REPO_ROOT, 'prisma', 'migrations');
  if (!existsSync(dir)) return;
  const files = readdirSync(dir)
    .sort()
    .map((entry) => path.join(dir, entry, 'migration.sql'))
    .filter((file) => existsSync(file));
  await withClient(url, async (client) => {
    for (const file of files) await client.query(readFileSync(file, 'utf8'));
  });
}
