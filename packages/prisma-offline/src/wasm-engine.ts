// Loads Prisma's schema engine compiled to WebAssembly. The package's own entry point imports the
// .wasm file as an ES module, which Node 20 only allows behind a flag, so we instantiate it by hand
// and hand the instance to the package's wasm-bindgen glue.
import { readFile } from 'node:fs/promises';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

export type {
  DevDiagnosticInput,
  DiffParams,
  DiffTarget,
  MigrationList,
  SchemaEngine,
} from '@prisma/schema-engine-wasm';

// Node provides WebAssembly, but TypeScript only declares it in the DOM libraries.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
  RuntimeError: new () => Error;
};

/**
 * The glue reports the Rust panic message through this global before the WASM traps; without it a
 * panic would surface as a bare "unreachable" RuntimeError and the real cause would be lost.
 */
class PanicRegistry {
  message = '';
  set_message(message: string): void {
    this.message = message;
  }
}
const panics = new PanicRegistry();
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY = panics;

/** The Rust panic message when `error` is the trap a panic causes, else undefined. */
export function panicMessage(error: unknown): string | undefined {
  if (!(error instanceof WebAssembly.RuntimeError)) return undefined;
  return panics.message || error.message;
}

let loaded: Promise<typeof glue> | undefined;

async function loadGlue(): Promise<typeof glue> {
  // The package does not export the .wasm file itself; it sits beside the exported glue.
  const gluePath = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(new URL(gluePath.replace(/\.js$/, '.wasm')));
  // The module imports every binding from the glue under the glue's own file name.
  const { instance } = await WebAssembly.instantiate(bytes, {
    './schema_engine_bg.js': glue,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/** The prisma-engines commit the WASM engine was built from. */
export async function wasmEngineVersion(): Promise<string> {
  loaded ??= loadGlue();
  return (await loaded).version();
}

export interface EngineOptions {
  /** `[path, content]` of every schema file, as the native engine reads them from `--datamodels`. */
  datamodels: [string, string][] | undefined;
  /** A driver adapter factory already wrapped by `bindMigrationAwareSqlAdapterFactory`. */
  adapter: object;
  /** Receives the engine's tracing output (JSON strings). */
  log: (line: string) => void;
}

export async function createWasmEngine(options: EngineOptions): Promise<SchemaEngine> {
  loaded ??= loadGlue();
  const { SchemaEngine } = await loaded;
  return SchemaEngine.new({ datamodels: options.datamodels }, options.log, options.adapter);
}
