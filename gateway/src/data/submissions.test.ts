import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, launchPostgres, REPO_ROOT, withClient, type TestDatabase } from '@fibgraph/devstack';
import type { PrismaClient } from '../__generated__/prisma/client.js';
import { createLogger } from '../logger.js';
import { connectPostgres, SubmissionStore } from './submissions.js';

const logger = createLogger('submissions-test', 'silent');
/** Every warning the process emits while this file runs (pg deprecations among them). */
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
let db: TestDatabase;
let prisma: PrismaClient;
let submissions: SubmissionStore;

beforeAll(async () => {
  db = await createTestDatabase(inject('pgAdminUrl'));
  const postgres = connectPostgres(db.url, 4, 5_000, logger);
  prisma = postgres.prisma;
  submissions = new SubmissionStore(postgres);
});

afterAll(async () => {
  await submissions?.disconnect();
  await db?.drop();
});

beforeEach(async () => {
  await prisma.$executeRaw`TRUNCATE submissions RESTART IDENTITY`;
});

const stored = () => prisma.submission.findMany({ orderBy: { id: 'asc' } });

describe('SubmissionStore.add (submissions arriving together are stored together)', () => {
  it('answers each of many concurrent submissions with its own stored row, ids in the order they came', async () => {
    const indexes = Array.from({ length: 200 }, (_, i) => (i * 7) % 50);
    const rows = await Promise.all(indexes.map((index) => submissions.add(index)));

    expect(rows.map((row) => row.index)).toEqual(indexes);
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(indexes.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const inDb = await stored();
    expect(inDb.map((row) => [row.id, row.index, row.submittedAt.getTime()])).toEqual(
      rows.map((row) => [row.id, row.index, row.submittedAt.getTime()]),
    );
  });

  it('gives concurrent submissions of one index a row each', async () => {
    const rows = await Promise.all(Array.from({ length: 20 }, () => submissions.add(42)));

    expect(new Set(rows.map((row) => row.id)).size).toBe(20);
    expect(rows.every((row) => row.index === 42)).toBe(true);
    expect(await stored()).toHaveLength(20);
  });

  it('stores and answers the others when one submission of a batch cannot be stored', async () => {
    // 2^31 does not fit the column: its row fails, and only it.
    const attempts = await Promise.allSettled([1, 2, 2 ** 31, 3, 4].map((index) => submissions.add(index)));

    expect(attempts.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const answered = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value.index] : []));
    expect(answered).toEqual([1, 2, 3, 4]);
    expect((await stored()).map((row) => row.index).sort()).toEqual([1, 2, 3, 4]);
  });

  it('goes on storing after a failed batch', async () => {
    await expect(submissions.add(-(2 ** 40))).rejects.toThrow();
    const row = await submissions.add(7);

    expect(row.index).toBe(7);
    expect((await stored()).map((r) => r.index)).toEqual([7]);
  });
  it('answers SERVICE_UNAVAILABLE, storing nothing, when Postgres ends the insert at its statement timeout', async () => {
    // The insert waits for the lock held here until the server's statement_timeout (200 ms) ends it.
    const pool = new pg.Pool({ connectionString: db.url, max: 1, statement_timeout: 200 });
    const holder = new pg.Client(db.url);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7363101)');
      const impatient = new SubmissionStore({ prisma, pool });

      await expect(impatient.add(5)).rejects.toMatchObject({
        extensions: { code: 'SERVICE_UNAVAILABLE', dependency: 'Postgres' },
      });
      await holder.query('ROLLBACK');
      expect(await stored()).toEqual([]);
    } finally {
      await holder.end();
      await pool.end();
    }
  });
});

describe('on the embedded Postgres (PGlite: one session for every connection it serves)', () => {
  it('stores submissions after a gateway before it stored some and went away', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-pglite-'));
    const embedded = await launchPostgres({ kind: 'embedded', dataDir });
    try {
      const migration = migrationSql();
      await withClient(embedded.adminUrl, (db) => db.query(migration));
      // Two gateways in turn, as a restart makes them: each prepares the insert on its connection.
      for (const index of [1, 2]) {
        const store = new SubmissionStore(connectPostgres(embedded.adminUrl, 1, 5_000, logger));
        try {
          expect((await store.add(index)).index).toBe(index);
        } finally {
          await store.disconnect();
        }
      }
    } finally {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The schema as the one migration makes it. */
function migrationSql(): string {
  const dir = path.join(REPO_ROOT, 'prisma', 'migrations');
  const [first] = readdirSync(dir).filter((name) => /^\d+_/.test(name));
  return readFileSync(path.join(dir, first!, 'migration.sql'), 'utf8');
}

describe('the pool', () => {
  // Last in the file: node warns about a deprecation once per process, at its first use, which
  // would be in any test above (the first connection of the pool).
  it('sends a connection one query at a time, as pg 9 will insist: no warning in any test of this file', () => {
    expect(warnings).toEqual([]);
  });
});
