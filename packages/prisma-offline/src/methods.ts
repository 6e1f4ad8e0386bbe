// The JSON-RPC methods the CLI calls, mapped onto the WASM engine. Most are one-to-one; the rest
// make up for places where the WASM build behaves unlike the native binary the CLI was written for.
import type { DevDiagnosticInput, DiffParams, DiffTarget, SchemaEngine } from './wasm-engine.js';
import type { Datasource } from './adapters.js';
import { createDatabase } from './databases.js';
import { trackShadow } from './shadow-state.js';

export interface MethodContext {
  engine: SchemaEngine;
  datasource: Datasource;
  /** Sends a `print` request to the CLI and resolves once it has printed. */
  print(content: string): Promise<void>;
}

export type Params = Record<string, unknown>;
export type Handler = (ctx: MethodContext, params: Params) => Promise<unknown>;

/** Methods whose parameters and results need no translation. */
const passThrough = new Set([
  'applyMigrations',
  'createMigration',
  'dbExecute',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);

function needsLiveDatabase(target: DiffTarget): boolean {
  return target.tag === 'schemaDatasource' || target.tag === 'url';
}

const special: Record<string, Handler> = {
  async getDatabaseVersion({ engine }) {
    return engine.version();
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

function callEngine(name: string): Handler {
  return async ({ engine }, params) => {
    const method = engine[name as keyof SchemaEngine] as unknown as (input: Params) => Promise<unknown>;
    // Methods that return nothing still owe the CLI a `result`.
    return (await method.call(engine, params)) ?? {};
  };
}

export function findMethod(name: string): Handler | undefined {
  if (Object.hasOwn(special, name)) return special[name];
  if (passThrough.has(name)) return trackShadow(name, callEngine(name));
  return undefined;
}

export type { DevDiagnosticInput };
