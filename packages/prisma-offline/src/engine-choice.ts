// Decides which schema engine the Prisma CLI should run. Stock Prisma downloads its native engine
// on first use; where that download host is unreachable every command fails before doing
// anything, and only then do we switch the CLI over to the WASM engine in this folder.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const prismaDir = dirname(require.resolve('prisma/package.json'));
export const prismaCli = join(prismaDir, 'build', 'index.js');
export const shimPath = join(import.meta.dirname, 'schema-engine.mjs');
const prismaVersion = (JSON.parse(readFileSync(join(prismaDir, 'package.json'), 'utf8')) as { version: string })
  .version;

export type EngineChoice = 'user' | 'native' | 'wasm';

/** The environment for the CLI once the engine is chosen. */
export function cliEnv(choice: EngineChoice, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (choice !== 'wasm') return env;
  return { ...env, PRISMA_SCHEMA_ENGINE_BINARY: shimPath, PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1' };
}

/** Where the CLI looks for (and downloads) its native engine. */
function nativeEngineOnDisk(): boolean {
  const enginesDir = dirname(require.resolve('@prisma/engines/package.json', { paths: [prismaDir] }));
  return [enginesDir, prismaDir].some((dir) =>
    readdirSync(dir).some((file) => /^schema-engine-[\w.-]+$/.test(file) && !/\.(gz|sha256|tmp\w*)$/.test(file)),
  );
}

// Remembering a failed probe for a while saves every later command the seconds a failing DNS
// lookup takes. A success is not cached: it leaves the engine on disk, which we check first.
const cacheFile = join(prismaDir, '..', '.cache', 'prisma-offline', 'native-engine-unavailable.json');
const CACHE_MS = 60 * 60 * 1000;

function recentlyUnavailable(): boolean {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { prismaVersion: string; at: number };
    return cached.prismaVersion === prismaVersion && Date.now() - cached.at < CACHE_MS;
  } catch {
    return false;
  }
}

function rememberUnavailable(): void {
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ prismaVersion, at: Date.now() }));
}

const DOWNLOAD_FAILURE =
  /request to \S+ failed|getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|schema-engine/i;

/**
 * `prisma --version` makes the CLI fetch its engine and does nothing else, so it is a safe
 * probe: a failed download leaves nothing behind. Resolves to whether the native engine works.
 */
function probeNative(env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [prismaCli, '--version'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    // A network that silently drops packets must not hang every command.
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      clearTimeout(timer);
      // Any other failure (a broken config, say) is left for the stock CLI to report as usual.
      resolve(code === 0 || !DOWNLOAD_FAILURE.test(output));
    });
  });
}

export async function chooseEngine(env: NodeJS.ProcessEnv): Promise<EngineChoice> {
  if (env.PRISMA_SCHEMA_ENGINE_BINARY) return 'user';
  const wanted = (env.PRISMA_ENGINE ?? 'auto').toLowerCase();
  if (wanted === 'native') return 'native';
  if (wanted === 'wasm') return 'wasm';
  if (wanted !== 'auto') throw new Error(`PRISMA_ENGINE must be auto, native or wasm, not "${env.PRISMA_ENGINE}"`);
  if (nativeEngineOnDisk()) return 'native';
  if (recentlyUnavailable()) return 'wasm';
  if (await probeNative(env)) return 'native';
  rememberUnavailable();
  return 'wasm';
}
