// `prisma migrate deploy` in the calling process, through the WASM schema engine: the steps the
// CLI takes for that command (read prisma.config.ts, create the database when it is missing, list
// prisma/migrations, `applyMigrations`), without starting the CLI and an engine process, which
// costs seconds each time. The engine records the migrations in `_prisma_migrations` itself, so
// a later `prisma migrate deploy` or `migrate status` sees them as applied.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { adapterFactory } from './adapters.js';
import { canConnect, createDatabase } from './databases.js';
import { errorData } from './errors.js';
import { createWasmEngine, wasmEngineVersion, type MigrationList } from './wasm-engine.js';

export interface DeployOptions {
  /** The database, as DATABASE_URL would give it to the CLI. */
  url: string;
  /** prisma.config.ts, found as the CLI finds it when not given (in the working directory). */
  configFile?: string;
  /** Connections the engine opens at most; 1 for a server that serves one (the embedded PGlite). Default: DATABASE_POOL_MAX, else 2. */
  poolMax?: number;
  /** Receives the engine's tracing output. Default: dropped. */
  log?: (line: string) => void;
}

/**
 * Loads what a deploy needs (the engine's WebAssembly, Prisma's config loader) without touching a
 * database, so a caller can do it while its database is still starting.
 */
export async function prepareDeploy(): Promise<void> {
  await Promise.all([wasmEngineVersion(), import('@prisma/config')]);
}

/** Applies the pending migrations to `url`; resolves with the names of those it applied. */
export async function migrateDeploy({ url, configFile, poolMax, log = () => {} }: DeployOptions): Promise<string[]> {
  const { loadConfigFromFile } = await import('@prisma/config');
  const loaded = await loadConfigFromFile({ configFile });
  if (loaded.error) throw new Error(`prisma.config.ts could not be loaded: ${loaded.error._tag}`);
  const { config } = loaded;
  const schemaPath = path.resolve(config.schema ?? 'prisma/schema.prisma');
  const migrationsDir = config.migrations?.path ?? path.join(path.dirname(schemaPath), 'migrations');

  await ensureDatabaseExists(url);
  const migrationsList = await listMigrations(migrationsDir, config.migrations?.initShadowDb ?? '');
  const filters = { externalTables: config.tables?.external ?? [], externalEnums: config.enums?.external ?? [] };

  // The engine opens its connections through this factory; they are closed here, as the end of
  // the CLI's engine process would close them.
  const adapters: SqlDriverAdapter[] = [];
  const factory = adapterFactory({ url }, { opened: (adapter) => adapters.push(adapter), poolMax });
  const engine = await createWasmEngine({ datamodels: await readSchemaFiles(schemaPath), adapter: factory, log });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
    return appliedMigrationNames;
  } catch (error) {
    const { message, error_code } = errorData(error);
    throw new Error(`migrate deploy failed${error_code ? ` (${error_code})` : ''}: ${message}`);
  } finally {
    engine.free();
    await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
  }
}

/** As the CLI does before deploying: a missing database (P1003) is created, any other failure is reported. */
async function ensureDatabaseExists(url: string): Promise<void> {
  try {
    await canConnect(url);
  } catch (error) {
    const { message, error_code } = errorData(error);
    if (error_code !== 'P1003') throw new Error(`${error_code ?? 'error'}: ${message}`);
    await createDatabase(url);
  }
}

/** The migrations folder read as the CLI reads it for the engine: every subfolder's migration.sql, sorted by name. */
async function listMigrations(baseDir: string, shadowDbInitScript: string): Promise<MigrationList> {
  const lockfile = 'migration_lock.toml';
  const content = await readFile(path.join(baseDir, lockfile), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => ({
        path: entry.name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile: { path: lockfile, content }, migrationDirectories, shadowDbInitScript };
}

/** `[path, content]` of the schema: one file, or every .prisma file of a schema folder. */
async function readSchemaFiles(schemaPath: string): Promise<[string, string][]> {
  const files = (await stat(schemaPath)).isDirectory()
    ? (await readdir(schemaPath, { recursive: true }))
        .filter((file) => file.endsWith('.prisma'))
        .sort()
        .map((file) => path.join(schemaPath, file))
    : [schemaPath];
  return Promise.all(files.map(async (file): Promise<[string, string]> => [file, await readFile(file, 'utf8')]));
}
