import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runMigrations } from '../migrate.js';
import { databaseUrl, withClient } from '../postgres.js';
import { REPO_ROOT } from '../repo.js';

export interface TestDatabase {
  /** DATABASE_URL of the new database, migrated to the committed schema. */
  url: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

const MIGRATIONS = path.join(REPO_ROOT, 'prisma', 'migrations');
/** Any constant shared by all test processes: serialises building the template database. */
const TEMPLATE_LOCK = 7_340_211;

/**
 * A fresh, uniquely named database per caller, so test files never see each other's rows.
 * `npm run db:migrate` takes about 5 s, so it runs once per set of migrations, into a template
 * database that every test database is then copied from (about 0.1 s each).
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const template = await ensureTemplate(adminUrl);
  const name = `fibgraph_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const drop = async () => {
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  return { url: databaseUrl(adminUrl, name), drop };
}

/** The template's name carries a hash of the migrations (and Prisma's version), so any change builds a new one. */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `fibgraph_template_${migrationsHash()}`;
  return withClient(adminUrl, async (client) => {
    // Test files start in parallel; one builds the template while the others wait here.
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const existing = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'fibgraph\\_template\\_%'",
      );
      if (existing.rows.some((row) => row.datname === name)) return name;
      // Migrate under a temporary name: a template that exists is always a complete one.
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      await runMigrations(databaseUrl(adminUrl, building));
      // The migrate process has exited, but its server sessions may still be closing; RENAME waits for none.
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [building]);
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      // Templates of older migrations are dead weight; one still being copied from just stays.
      for (const { datname } of existing.rows) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  const prisma = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/prisma/package.json'), 'utf8')) as {
    version: string;
  };
  hash.update(prisma.version);
  for (const entry of readdirSync(MIGRATIONS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()) {
    hash.update(path.relative(MIGRATIONS, entry)).update(readFileSync(entry));
  }
  return hash.digest('hex').slice(0, 12);
}
