// `npm run prisma -- <args>`: the stock Prisma CLI, with its schema engine chosen for this machine.
//   PRISMA_ENGINE=auto (default)  the native engine if it is present or can be downloaded, else the
//                                 WASM engine of this package
//   PRISMA_ENGINE=native | wasm   force one of them
// A PRISMA_SCHEMA_ENGINE_BINARY the user set already wins over all of this.
// See docs/prisma-offline.md.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { chooseEngine, cliEnv, prismaCli } from './engine-choice.js';

const choice = await chooseEngine(process.env).catch((error: Error) => {
  console.error(`prisma: ${error.message}`);
  process.exit(2);
});
if (choice === 'wasm' && (process.env.PRISMA_ENGINE ?? 'auto') === 'auto') {
  console.error('prisma: native schema engine unavailable here, using the WASM engine (packages/prisma-offline)');
}

const child = spawn(process.execPath, [prismaCli, ...process.argv.slice(2)], {
  env: cliEnv(choice, process.env),
  stdio: 'inherit',
});

// Ctrl-C reaches the CLI through the terminal already; a plain kill of this wrapper would not.
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {});

child.on('error', (error) => {
  console.error(`prisma: could not start the Prisma CLI: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1));
});
