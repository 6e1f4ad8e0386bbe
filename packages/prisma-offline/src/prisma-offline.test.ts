// Runs the real Prisma CLI through `npm run prisma` with the WASM schema engine forced, against a
// scratch database on the server named by TEST_PG_URL, and the drift gate with no server at all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withClient } from '@fibgraph/devstack';
import { migrateDeploy } from './deploy.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
// The shared test setup may provide a server of its own (a fresh CI machine has none on 5432).
const adminUrl =
  process.env.TEST_PG_URL ??
  (inject('pgAdminUrl') as string | undefined) ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const CLI_TIMEOUT = 120_000;

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command in the repo root with the WASM engine forced, capturing all output. */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  // An engine the developer pinned would win over PRISMA_ENGINE; these tests are about the WASM one.
  const inherited = { ...process.env };
  delete inherited.PRISMA_SCHEMA_ENGINE_BINARY;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...inherited, PRISMA_ENGINE: 'wasm', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const npmRun = (script: string, env: Record<string, string>) => run('npm', ['run', '--silent', script], env);
const prisma = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'packages/prisma-offline/src/cli.ts', ...args], env);

const withAdmin = <T>(work: (client: pg.Client) => Promise<T>) => withClient(adminUrl, work);

describe('the offline Prisma CLI against a real server', () => {
  const name = `fibgraph_prisma_${randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

  beforeAll(() => withAdmin((client) => client.query(`CREATE DATABASE "${name}"`)));
  afterAll(() => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

  it(
    'applies the committed migrations to an empty database',
    async () => {
      const { code, output } = await npmRun('db:migrate', { DATABASE_URL: url });
      expect(code, output).toBe(0);

      await withClient(url, async (db) => {
        const columns = await db.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'submissions' ORDER BY column_name`,
        );
        expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'index', 'submitted_at']);
        const applied = await db.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL');
        const committed = (await readdir(path.join(repoRoot, 'prisma/migrations'), { withFileTypes: true })).filter(
          (entry) => entry.isDirectory(),
        );
        expect(applied.rowCount).toBe(committed.length);
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'reports the migrated database as up to date',
    async () => {
      const { code, output } = await prisma(['migrate', 'status'], { DATABASE_URL: url });
      expect(code, output).toBe(0);
      expect(output).toContain('Database schema is up to date');
    },
    CLI_TIMEOUT,
  );
});

describe("migrateDeploy: `prisma migrate deploy` in process (the local stack's)", () => {
  const names = ['inproc', 'cli'].map((kind) => `fibgraph_prisma_${kind}_${randomBytes(6).toString('hex')}`);
  const [inProcess, byCli] = names.map((name) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString());
  const history = (url: string) =>
    withClient(url, async (db) => {
      const rows = await db.query(
        `SELECT migration_name, checksum, logs, rolled_back_at, applied_steps_count, finished_at IS NOT NULL AS finished
           FROM _prisma_migrations ORDER BY migration_name`,
      );
      return rows.rows as unknown[];
    });

  afterAll(() =>
    withAdmin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  );

  it(
    'creates the missing database and records the migrations exactly as the CLI does',
    async () => {
      // Missing on purpose: the CLI creates it (P1003), and so must this.
      const applied = await migrateDeploy({ url: inProcess!, configFile: path.join(repoRoot, 'prisma.config.ts') });
      const committed = (await readdir(path.join(repoRoot, 'prisma/migrations'), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(applied).toEqual(committed);

      await withAdmin((client) => client.query(`CREATE DATABASE "${names[1]}"`));
      const cli = await npmRun('db:migrate', { DATABASE_URL: byCli! });
      expect(cli.code, cli.output).toBe(0);
      expect(await history(inProcess!)).toEqual(await history(byCli!));
      expect(await history(inProcess!)).toHaveLength(committed.length);
    },
    CLI_TIMEOUT,
  );

  it(
    'leaves a database that the CLI then finds up to date, with nothing pending',
    async () => {
      const deploy = await npmRun('db:migrate', { DATABASE_URL: inProcess! });
      expect(deploy.code, deploy.output).toBe(0);
      expect(deploy.output).toContain('No pending migrations to apply');
      const status = await prisma(['migrate', 'status'], { DATABASE_URL: inProcess! });
      expect(status.code, status.output).toBe(0);
      expect(status.output).toContain('Database schema is up to date');
      expect(await migrateDeploy({ url: inProcess!, configFile: path.join(repoRoot, 'prisma.config.ts') })).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});

describe('the drift gate without any database server', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'fibgraph-drift-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it(
    'passes when the committed migrations produce the committed schema',
    async () => {
      const { code, output } = await npmRun('db:drift', { DATABASE_URL: '' });
      expect(code, output).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'exits with code 2 when the schema has a field no migration creates',
    async () => {
      const schema = await readFile(path.join(repoRoot, 'prisma/schema.prisma'), 'utf8');
      const drifted = schema.replace(/model Submission \{\n/, '$&  note String?\n');
      expect(drifted).not.toBe(schema);
      const schemaPath = path.join(scratch, 'schema.prisma');
      await writeFile(schemaPath, drifted);

      const { code, output } = await prisma(
        ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', schemaPath, '--exit-code'],
        { DATABASE_URL: '' },
      );
      expect(code, output).toBe(2);
      expect(output).toContain('Added column `note`');
    },
    CLI_TIMEOUT,
  );
});
