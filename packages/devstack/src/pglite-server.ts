/**
 * Child process entry: one PGlite database served over the Postgres wire protocol on 127.0.0.1.
 * Started by launchPostgres (postgres.ts), which it tells its port over IPC once it accepts
 * connections. A separate process because PGlite runs Postgres in WebAssembly on the JS thread,
 * and the orchestrator must stay responsive while it works.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquirePidLock } from './pidfile.js';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } } });
const dataDir = values['data-dir'];
if (!dataDir) {
  console.error('usage: pglite-server --data-dir <dir> [--port <port>]');
  process.exit(2);
}

// Two PGlite processes writing one data dir corrupt it; the lock turns that into a clear refusal.
let releaseLock: () => void;
try {
  releaseLock = acquirePidLock(`${path.resolve(dataDir)}.lock`, `an embedded Postgres on ${dataDir}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const db = await PGlite.create({ dataDir });
// One connection only: pglite-socket interleaves the protocol messages of concurrent connections
// and loses writes; extra clients are refused instead of being served wrongly.
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: Number(values.port), maxConnections: 1 });
await server.start();
const port = Number(server.getServerConn().split(':').pop());

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.stop();
  // close() checkpoints PGlite, so the data dir is consistent for the next start.
  await db.close();
  releaseLock();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// The parent went away without stopping us (it was killed hard): do not linger as an orphan holding the data dir.
process.on('disconnect', () => void shutdown());

if (process.send) process.send({ type: 'ready', port });
else console.log(`embedded Postgres listening on 127.0.0.1:${port}`);
