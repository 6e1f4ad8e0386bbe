// Turns a Prisma-style PostgreSQL URL into separate `pg` fields. Separate fields matter: `pg` lets a
// `connectionString` override `database`, so a pool for another database (shadow, admin) built by
// spreading a config that still holds the URL would silently talk to the original database.
import type { PoolConfig } from 'pg';

export interface PgTarget {
  config: PoolConfig;
  /** The schema Prisma works in (`?schema=`), `public` by default. */
  schema: string;
  /** `host:port`, for error messages shaped like the native engine's. */
  location: string;
}

/** `poolMax`: connections a pool of it opens at most; default DATABASE_POOL_MAX, else 2. */
export function parsePostgresUrl(url: string, poolMax?: number): PgTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`The offline schema engine only supports PostgreSQL URLs, got ${parsed.protocol}`);
  }
  const params = parsed.searchParams;
  const schema = params.get('schema') ?? 'public';
  const host = params.get('host') ?? (decodeURIComponent(parsed.hostname) || 'localhost');
  const port = Number(parsed.port || params.get('port') || 5432);
  const config: PoolConfig = {
    host,
    port,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ssl: sslFromMode(params.get('sslmode')),
    // Migration scripts name tables unqualified, so they must land in Prisma's schema.
    options: `-c search_path="${schema.replaceAll('"', '""')}"`,
    // The engine works through one connection at a time. DATABASE_POOL_MAX is the project's knob
    // for servers that cope with only one (the embedded PGlite socket server).
    max: poolMax ?? (Number(process.env.DATABASE_POOL_MAX) || 2),
  };
  const timeout = params.get('connect_timeout');
  if (timeout) config.connectionTimeoutMillis = Number(timeout) * 1000;
  return { config, schema, location: `${host}:${port}` };
}

function sslFromMode(mode: string | null): PoolConfig['ssl'] {
  switch (mode) {
    case 'require':
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      return undefined;
  }
}

/** Same server and credentials, another database. */
export function withDatabase(target: PgTarget, database: string): PgTarget {
  return { ...target, config: { ...target.config, database } };
}

/** Double-quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
