import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPostgres, withClient, type LocalPostgres } from './postgres.js';

const TURN_WAIT_MS = 1_500;
let dataDir: string;
let embedded: LocalPostgres;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-pglite-'));
  embedded = await launchPostgres({ kind: 'embedded', dataDir, turnWaitMs: TURN_WAIT_MS });
  await withClient(embedded.adminUrl, (db) => db.query('CREATE TABLE visits (n int)'));
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded Postgres (one connection at a time)', () => {
  it('serves a client that connects while the one before it is still closing, every time', async () => {
    // As a pool replacing its connection, or a gateway restarting, does: pglite-socket alone
    // refuses (resets) the new one until it has let the old one go.
    let previous: Promise<void> = Promise.resolve();
    for (let n = 1; n <= 30; n += 1) {
      const db = new pg.Client(embedded.adminUrl);
      const [, connected] = await Promise.allSettled([previous, db.connect()]);
      expect(connected.status, `connection ${n}`).toBe('fulfilled');
      await db.query('INSERT INTO visits VALUES ($1)', [n]);
      previous = db.end();
    }
    await previous;
    const { rows } = await withClient(embedded.adminUrl, (db) =>
      db.query<{ count: string }>('SELECT count(*) FROM visits'),
    );
    expect(rows[0]?.count).toBe('30');
  });

  it('lets a client that connects while another is open wait its turn, then serves it', async () => {
    const first = new pg.Client(embedded.adminUrl);
    await first.connect();
    let secondIn = false;
    const second = new pg.Client(embedded.adminUrl);
    const secondConnected = second.connect().then(() => (secondIn = true));
    try {
      await first.query('INSERT INTO visits VALUES (-1)');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondIn).toBe(false);
      await first.end();
      await secondConnected;
      const { rows } = await second.query<{ n: number }>('SELECT n FROM visits WHERE n = -1');
      expect(rows).toEqual([{ n: -1 }]);
    } finally {
      await first.end().catch(() => undefined);
      await second.end().catch(() => undefined);
    }
  });

  it('refuses a client that waited too long with Postgres\' own "too many connections", and serves the next', async () => {
    const holder = new pg.Client(embedded.adminUrl);
    await holder.connect();
    try {
      const waitedFrom = Date.now();
      const refused = await new pg.Client(embedded.adminUrl).connect().then(
        () => undefined,
        (error: unknown) => error as pg.DatabaseError,
      );
      expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(TURN_WAIT_MS - 50);
      expect(refused).toMatchObject({ code: '53300', severity: 'FATAL' });
      expect(refused?.message).toMatch(/one connection at a time/);
      // The one holding the connection never noticed.
      expect((await holder.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await holder.end();
    }
    expect((await withClient(embedded.adminUrl, (db) => db.query('SELECT 2 AS two'))).rows).toEqual([{ two: 2 }]);
  });
});
