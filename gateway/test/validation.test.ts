import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SUBMIT, VALUES } from './operations.js';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterAll(() => system?.stop());

async function submissionRows(): Promise<number> {
  const client = new pg.Client({ connectionString: system.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM submissions');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** Redis keys that hold submissions, results or jobs (the reconciler's own bookkeeping comes and goes). */
async function dataKeys(): Promise<string[]> {
  const keys = await system.inspect().keys(`${system.prefix}*`);
  return keys.filter((key) => !key.includes('reconcile')).sort();
}

async function expectRefusedWithNothingWritten(query: string, variables?: Record<string, unknown>, message?: RegExp) {
  const [rowsBefore, keysBefore] = [await submissionRows(), await dataKeys()];
  const { data, errors } = await system.client().request(query, variables);
  expect(data?.submitValue ?? null).toBeNull();
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  if (message) expect(errors?.[0]?.message).toMatch(message);
  expect(await submissionRows()).toBe(rowsBefore);
  expect(await dataKeys()).toEqual(keysBefore);
}

describe('submitValue refuses bad input and writes nothing', () => {
  it('rejects a negative index with BAD_USER_INPUT', () =>
    expectRefusedWithNothingWritten(SUBMIT, { index: -1 }, /at least 0/));

  it('rejects an index above MAX_INDEX with BAD_USER_INPUT', () =>
    expectRefusedWithNothingWritten(SUBMIT, { index: 1_000_001 }, /at most 1000000/));

  it('rejects a fractional index given as a variable', () => expectRefusedWithNothingWritten(SUBMIT, { index: 1.5 }));

  it('rejects a string index given as a variable', () => expectRefusedWithNothingWritten(SUBMIT, { index: 'abc' }));

  it('rejects a fractional index written in the document', () =>
    expectRefusedWithNothingWritten('mutation { submitValue(index: 2.5) { index } }'));

  it('rejects an index beyond 32 bits written in the document', () =>
    expectRefusedWithNothingWritten('mutation { submitValue(index: 99999999999) { index } }'));

  it('accepts the boundary index 0 and stores it', async () => {
    const before = await submissionRows();
    const { errors } = await system.client().request(SUBMIT, { index: 0 });
    expect(errors).toBeUndefined();
    expect(await submissionRows()).toBe(before + 1);
  });
});

describe('list limits', () => {
  it('rejects a limit above 100 with BAD_USER_INPUT', async () => {
    const { errors } = await system.client().request(VALUES, { limit: 101 });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a limit below 1 with BAD_USER_INPUT', async () => {
    const { errors } = await system.client().request(VALUES, { limit: 0 });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
