// The driver adapters the WASM engine runs its SQL through: adapter-pg for the real database and,
// for the shadow database that `migrate dev` and `migrate diff --from-migrations` replay the
// migration history into, either an in-memory PGlite (no server needed) or a scratch database
// on the main server.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { parsePostgresUrl, quoteIdent, withDatabase, type PgTarget } from './pg-url.ts';

// adapter-pg has no decoder for Postgres' internal `"char"` type (OID 18), which the engine's
// schema describer reads from pg_constraint.contype; the value is a single ASCII letter, so
// presenting the column as `text` is lossless. pg offers no per-pool hook for this.
const CHAR_OID = 18;
const TEXT_OID = 25;
const originalAddFields = pg.Result.prototype.addFields;
pg.Result.prototype.addFields = function (fields) {
  for (const field of fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  return originalAddFields.call(this, fields);
};

export interface Datasource {
  url?: string;
  shadowDatabaseUrl?: string;
}

/**
 * Where the shadow database lives. With a main database we follow the native engine and create a
 * scratch database on its server (same Postgres version as production, and fast); without one an
 * in-memory PGlite is used so the drift gate needs no server. `PRISMA_OFFLINE_SHADOW` overrides.
 */
export function shadowKind(datasource: Datasource): 'url' | 'server' | 'pglite' {
  if (datasource.shadowDatabaseUrl) return 'url';
  const wanted = process.env.PRISMA_OFFLINE_SHADOW;
  return wanted === 'pglite' || !datasource.url ? 'pglite' : 'server';
}

function pgAdapterFor(target: PgTarget): Promise<SqlDriverAdapter> {
  return new PrismaPg(target.config, { schema: target.schema }).connect();
}

/** A throw-away database on the main server, dropped again when the engine disposes it. */
async function serverShadow(main: PgTarget): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
  const admin = new pg.Client(main.config);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const shadow = await pgAdapterFor(withDatabase(main, name));
  const dispose = shadow.dispose.bind(shadow);
  // The pool must be closed first: Postgres refuses to drop a database that has sessions.
  shadow.dispose = async () => {
    await dispose();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    } finally {
      await admin.end();
    }
  };
  return shadow;
}

type PGliteInstance = import('@electric-sql/pglite').PGlite;

async function newPGlite(): Promise<PGliteInstance> {
  // Loaded lazily: only shadow databases need it, and it takes seconds to start.
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create();
}

async function pgliteAdapter(db: PGliteInstance): Promise<SqlDriverAdapter> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return new PrismaPGlite(db).connect();
}

/** The adapter factory for one engine process, already bound for the WASM engine. */
export function adapterFactory(datasource: Datasource): object {
  const main = datasource.url ? parsePostgresUrl(datasource.url) : undefined;
  // Without a URL the engine still insists on connecting to (and probing) a main database at
  // start-up, so it gets an empty in-memory PGlite. Nothing is ever written to that stand-in, so
  // the first shadow database may take it over instead of paying for a second PGlite start.
  let untouched: PGliteInstance | undefined;
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      if (main) return pgAdapterFor(main);
      untouched = await newPGlite();
      return pgliteAdapter(untouched);
    },
    async connectToShadowDb() {
      switch (shadowKind(datasource)) {
        case 'url':
          return pgAdapterFor(parsePostgresUrl(datasource.shadowDatabaseUrl!));
        case 'server':
          return serverShadow(main!);
        case 'pglite': {
          const db = untouched ?? (await newPGlite());
          untouched = undefined;
          // In-memory and gone when the engine process exits, so there is nothing to drop.
          return pgliteAdapter(db);
        }
      }
    },
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}
