import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@fibgraph/devstack';
import type { PrismaClient } from '../__generated__/prisma/client.js';
import { createLogger } from '../logger.js';
import { createPrisma, SubmissionStore } from './submissions.js';

const logger = createLogger('submissions-test', 'silent');
let db: TestDatabase;
let prisma: PrismaClient;
let submissions: SubmissionStore;

beforeAll(async () => {
  db = await createTestDatabase(inject('pgAdminUrl'));
  prisma = createPrisma(db.url, 4, 5_000, logger);
  submissions = new SubmissionStore(prisma);
});

afterAll(async () => {
  await prisma?.$disconnect();
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
});
