// The databases behind the engine's connections: adapter-pg for real servers, PGlite in memory.
// Shadow databases get extra care because the WASM engine, unlike the native one, neither wipes
// a configured shadow database nor cleans up after itself when it is interrupted.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type { PGlite } from '@electric-sql/pglite';
import { withCharColumns } from './char-type.js';
import { parsePostgresUrl, quoteIdent, withDatabase, type PgTarget } from './pg-url.js';

export async function pgAdapterFor(target: PgTarget): Promise<SqlDriverAdapter> {
  return withCharColumns(await new PrismaPg(target.config, { schema: target.schema }).connect());
}

/** Scratch databases that exist right now, so an interrupted run can still drop them. */
const pendingDrops = new Set<(interrupted: boolean) => Promise<void>>();

export async function dropScratchDatabases(): Promise<void> {
  await Promise.allSettled([...pendingDrops].map((drop) => drop(true)));
}

/** A throw-away database on the main server, dropped again when the engine disposes it. */
export async function serverShadow(main: PgTarget): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
  const admin = new pg.Client(main.config);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const shadow = await pgAdapterFor(withDatabase(main, name));
  const dispose = shadow.dispose.bind(shadow);
  const drop = async (interrupted: boolean) => {
    pendingDrops.delete(drop);
    // Postgres refuses to drop a database that has sessions, so the pool is closed first. When
    // interrupted, a statement may still be running in it: end those sessions by force instead.
    const closed = dispose();
    if (!interrupted) await closed;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${interrupted ? ' WITH (FORCE)' : ''}`);
    } finally {
      await admin.end();
    }
  };
  pendingDrops.add(drop);
  shadow.dispose = () => drop(false);
  return shadow;
}

/**
 * The user's own shadow database (`shadowDatabaseUrl`). The native engine wipes it before use and
 * the WASM engine does not, so leftovers would show up as drift; we wipe Prisma's schema first.
 */
export async function configuredShadow(url: string, main: PgTarget | undefined): Promise<SqlDriverAdapter> {
  const shadow = parsePostgresUrl(url);
  const same = (t: PgTarget) => `${t.location}/${t.config.database}`;
  if (main && same(main) === same(shadow)) {
    throw new Error('The shadow database you configured appears to be the same as the main database.');
  }
  const client = new pg.Client(shadow.config);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(shadow.schema)} CASCADE`);
    await client.query(`CREATE SCHEMA ${quoteIdent(shadow.schema)}`);
  } finally {
    await client.end();
  }
  return pgAdapterFor(shadow);
}

export type PGliteInstance = PGlite;

export async function newPGlite(): Promise<PGliteInstance> {
  // Loaded lazily: only shadow databases need it, and it takes seconds to start.
  const pglite = await import('@electric-sql/pglite');
  return pglite.PGlite.create();
}

export async function pgliteAdapter(db: PGliteInstance): Promise<SqlDriverAdapter> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return new PrismaPGlite(db).connect();
}
