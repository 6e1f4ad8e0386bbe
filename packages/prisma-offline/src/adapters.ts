// The driver adapters the WASM engine runs its SQL through: adapter-pg for the real database and,
// for the shadow database that `migrate dev` and `migrate diff --from-migrations` replay the
// migration history into, either an in-memory PGlite (no server needed) or a scratch database
// on the main server.
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { parsePostgresUrl } from './pg-url.js';
import {
  configuredShadow,
  newPGlite,
  pgAdapterFor,
  pgliteAdapter,
  serverShadow,
  type PGliteInstance,
} from './shadow-databases.js';

export interface Datasource {
  url?: string;
  shadowDatabaseUrl?: string;
}

/**
 * Where the shadow database lives. With a main database we follow the native engine and create a
 * scratch database on its server (same Postgres version as production, and fast). Without one, or
 * when the server takes a single connection (DATABASE_POOL_MAX=1, the embedded PGlite socket
 * server), an in-memory PGlite serves instead. `PRISMA_OFFLINE_SHADOW=pglite|server` overrides.
 */
export function shadowKind(datasource: Datasource): 'url' | 'server' | 'pglite' {
  if (datasource.shadowDatabaseUrl) return 'url';
  const wanted = process.env.PRISMA_OFFLINE_SHADOW;
  if (!datasource.url || wanted === 'pglite') return 'pglite';
  if (wanted === 'server') return 'server';
  return process.env.DATABASE_POOL_MAX === '1' ? 'pglite' : 'server';
}

export interface FactoryOptions {
  /** Sees every adapter to the main database, for a caller that must close them itself (an engine in its own process has them closed when it exits). */
  opened?: (adapter: SqlDriverAdapter) => void;
  /** Connections to the main database at most. Default: DATABASE_POOL_MAX, else 2. */
  poolMax?: number;
}

/** The adapter factory for one engine, already bound for the WASM engine. */
export function adapterFactory(datasource: Datasource, { opened, poolMax }: FactoryOptions = {}): object {
  const main = datasource.url ? parsePostgresUrl(datasource.url, poolMax) : undefined;
  // Without a URL the engine still insists on connecting to (and probing) a main database at
  // start-up, so it gets an empty in-memory PGlite. Nothing is ever written to that stand-in, so
  // the first shadow database may take it over instead of paying for a second PGlite start.
  let untouched: PGliteInstance | undefined;
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      if (main) {
        const adapter = await pgAdapterFor(main);
        opened?.(adapter);
        return adapter;
      }
      untouched = await newPGlite();
      return pgliteAdapter(untouched);
    },
    async connectToShadowDb() {
      switch (shadowKind(datasource)) {
        case 'url':
          return configuredShadow(datasource.shadowDatabaseUrl!, main);
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
