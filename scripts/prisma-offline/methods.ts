// The JSON-RPC methods the CLI calls, mapped onto the WASM engine. Most are one-to-one; the rest
// make up for places where the WASM build behaves unlike the native binary the CLI was written for.
import type { DevDiagnosticInput, DiffParams, DiffTarget, SchemaEngine } from './wasm-engine.ts';
import type { Datasource } from './adapters.ts';
import { createDatabase } from './databases.ts';

export interface MethodContext {
  engine: SchemaEngine;
  datasource: Datasource;
  /** Sends a `print` request to the CLI and resolves once it has printed. */
  print(content: string): Promise<void>;
}

type Params = Record<string, unknown>;
type Handler = (ctx: MethodContext, params: Params) => Promise<unknown>;

/** Methods whose parameters and results need no translation. */
const passThrough = [
  'applyMigrations',
  'dbExecute',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
] as const;

// The WASM engine only produces a migration after it has inspected the migration history in the
// same engine instance; the CLI's `migrate dev` does that, other callers may not.
const diagnosed = new WeakSet<SchemaEngine>();

function needsLiveDatabase(target: DiffTarget): boolean {
  return target.tag === 'schemaDatasource' || target.tag === 'url';
}

const special: Record<string, Handler> = {
  async getDatabaseVersion({ engine }) {
    return engine.version();
  },
  async devDiagnostic({ engine }, params) {
    const result = await engine.devDiagnostic(params as unknown as DevDiagnosticInput);
    diagnosed.add(engine);
    return result;
  },
  async createMigration({ engine }, params) {
    if (!diagnosed.has(engine)) {
      const { migrationsList, filters } = params as unknown as DevDiagnosticInput;
      await special.devDiagnostic!({ engine } as MethodContext, { migrationsList, filters });
    }
    return engine.createMigration(params as never);
  },
  async diff({ engine, datasource, print }, params) {
    const input = params as unknown as DiffParams;
    // Without a URL the engine's "main database" is an empty stand-in; diffing against it would
    // quietly answer for a database nobody asked about.
    if (!datasource.url && (needsLiveDatabase(input.from) || needsLiveDatabase(input.to))) {
      throw new Error('The datasource URL is empty: set DATABASE_URL to diff against a database.');
    }
    const { exitCode, stdout } = await engine.diff(input);
    // The native engine streams the script to the CLI as a `print` request, then answers.
    if (stdout !== null) await print(stdout);
    return { exitCode };
  },
  async createDatabase({ datasource }, params) {
    const source = (params as { datasource?: { tag?: string; url?: string } }).datasource;
    const url = source?.tag === 'ConnectionString' && source.url ? source.url : datasource.url;
    if (!url) throw new Error('The datasource URL is empty: set DATABASE_URL.');
    return { databaseName: await createDatabase(url) };
  },
  async debugPanic({ engine }) {
    engine.debugPanic();
    return {};
  },
};

export function findMethod(name: string): Handler | undefined {
  if (Object.hasOwn(special, name)) return special[name];
  if ((passThrough as readonly string[]).includes(name)) {
    return async ({ engine }, params) => {
      const result = await (engine[name as (typeof passThrough)[number]] as (p: Params) => Promise<unknown>)(params);
      // Methods that return nothing still owe the CLI a `result`.
      return result ?? {};
    };
  }
  return undefined;
}
