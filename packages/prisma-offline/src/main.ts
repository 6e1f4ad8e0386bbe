// Entry point of the offline schema engine: the program the Prisma CLI starts in place of its
// native `schema-engine` binary when PRISMA_SCHEMA_ENGINE_BINARY points at our launcher.
// It accepts the same command line as the native binary:
//   --version
//   --datasource <json> cli can-connect-to-database | create-database | drop-database
//   [--datamodels <schema file>]... [--datasource <json>]    (then JSON-RPC on stdin/stdout)
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { adapterFactory, type Datasource } from './adapters.js';
import { canConnect, createDatabase, dropDatabase } from './databases.js';
import { errorData, logLine } from './errors.js';
import { serveRpc } from './rpc.js';
import { dropScratchDatabases } from './shadow-databases.js';
import { createWasmEngine, wasmEngineVersion, type SchemaEngine } from './wasm-engine.js';

const { values, positionals } = parseArgs({
  options: {
    version: { type: 'boolean', short: 'V' },
    datamodels: { type: 'string', multiple: true },
    datasource: { type: 'string' },
    // Passed by the CLI for preview features and extensions; PostgreSQL needs neither here.
    'enabled-preview-features': { type: 'string' },
    'extension-types': { type: 'string' },
  },
  allowPositionals: true,
});

const datasource: Datasource = values.datasource ? (JSON.parse(values.datasource) as Datasource) : {};

async function oneShot(command: string | undefined): Promise<number> {
  const url = datasource.url ?? '';
  // The CLI skips the first stderr line and parses every later one as a JSON log record.
  process.stderr.write(logLine('INFO', { message: `offline schema engine: ${command}` }));
  try {
    if (command === 'can-connect-to-database') await canConnect(url);
    else if (command === 'create-database') await createDatabase(url);
    else if (command === 'drop-database') await dropDatabase(url);
    else throw new Error(`Unknown cli command: ${command}`);
    return 0;
  } catch (error) {
    const { message, error_code } = errorData(error);
    process.stderr.write(logLine('ERROR', { message, error_code }));
    return 1;
  }
}

async function startEngine(): Promise<SchemaEngine> {
  // Commands without a schema (`migrate diff`) must pass `undefined`: an empty list panics the engine.
  const paths = values.datamodels;
  const datamodels =
    paths &&
    (await Promise.all(paths.map(async (path): Promise<[string, string]> => [path, await readFile(path, 'utf8')])));
  const log = (line: string) => process.stderr.write(`${line.trimEnd()}\n`);
  try {
    return await createWasmEngine({ datamodels, adapter: adapterFactory(datasource), log });
  } catch (error) {
    // The WASM engine connects eagerly and its connection errors carry no Prisma code; asking
    // the server directly yields the P1001/P1003/P1000 the CLI knows how to explain.
    if (datasource.url) await canConnect(datasource.url);
    throw error;
  }
}

// A Rust panic inside a task the engine spawned surfaces here rather than in a request's promise.
// Exit code 101 is what the native engine uses for panics; the CLI then shows our ERROR line.
process.on('uncaughtException', (error) => {
  const { message } = errorData(error);
  process.stderr.write(logLine('ERROR', { message, is_panic: true }));
  process.exit(101);
});

// The CLI stops us with SIGTERM right after closing stdin, and Ctrl-C reaches us too: either way
// a shadow database created on the server must not outlive us.
for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  process.once(signal, () => void dropScratchDatabases().finally(() => process.exit(code)));
}

async function main(): Promise<number> {
  if (values.version) {
    process.stdout.write(`schema-engine-wasm ${await wasmEngineVersion()} (packages/prisma-offline)\n`);
    return 0;
  }
  if (positionals[0] === 'cli') return oneShot(positionals[1]);
  const engine = startEngine();
  engine.catch(() => {}); // reported to each request instead
  await serveRpc({ engine, datasource }).done;
  return 0;
}

// Open pools and PGlite instances would keep the process alive after the CLI is done with it.
process.exit(await main());
