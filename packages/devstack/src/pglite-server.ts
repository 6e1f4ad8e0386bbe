/**
 * Child process entry: one PGlite database served over the Postgres wire protocol on 127.0.0.1.
 * Started by launchPostgres (postgres.ts), which it tells its port over IPC once it accepts
 * connections. A separate process because PGlite runs Postgres in WebAssembly on the JS thread,
 * and the orchestrator must stay responsive while it works.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquirePidLock } from './pidfile.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    // How long a client waits for its turn before it is refused, as Postgres refuses one too many.
    'turn-wait-ms': { type: 'string', default: '30000' },
  },
});
const dataDir = values['data-dir'];
if (!dataDir) {
  console.error('usage: pglite-server --data-dir <dir> [--port <port>] [--turn-wait-ms <ms>]');
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
// and loses writes. It refuses a second one outright (a reset), even in the moment a client that
// has closed its connection is not yet let go of: a pool reconnecting at once (a gateway restart,
// an idle connection replaced) would fail by chance. So clients connect to the front below, which
// queues them and lets each through to PGlite once the one before it is gone.
const inner = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
await inner.start();
const innerPort = Number(inner.getServerConn().split(':').pop());
const front = serveOneAtATime(
  innerPort,
  Number(values['turn-wait-ms']),
  () => inner.getStats().activeConnections === 0,
);
await new Promise<void>((resolve, reject) => {
  front.server.once('error', reject);
  front.server.listen(Number(values.port), '127.0.0.1', resolve);
});
const port = (front.server.address() as AddressInfo).port;

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  front.close();
  // Ends the connection being served too.
  await inner.stop();
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

/**
 * A TCP front for a server that takes one connection at a time: clients wait in turn (each within
 * its own connect timeout, and `waitMs` at most), and each is piped through once the one before
 * it has closed and `free()` says the server has let it go.
 */
function serveOneAtATime(targetPort: number, waitMs: number, free: () => boolean): { server: Server; close(): void } {
  const waiting = new Map<Socket, NodeJS.Timeout>();
  let busy = false;
  const next = () => {
    const [client, timer] = waiting.entries().next().value ?? [];
    if (busy || !client) return;
    waiting.delete(client);
    clearTimeout(timer);
    busy = true;
    const target = createConnection({ port: targetPort, host: '127.0.0.1' });
    client.on('close', () => target.end());
    target.on('close', () => {
      client.destroy();
      const whenFree = () => {
        if (!free()) return void setTimeout(whenFree, 1);
        busy = false;
        next();
      };
      whenFree();
    });
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
    client.pipe(target).pipe(client);
  };
  const server = createServer((client) => {
    const refuse = () => {
      waiting.delete(client);
      const why = `the embedded Postgres serves one connection at a time; another has held it for ${waitMs / 1000} s`;
      client.end(tooManyConnections(why));
    };
    waiting.set(client, setTimeout(refuse, waitMs));
    // Gone before its turn (its own connect timeout): it waits no more.
    client.on('close', () => {
      clearTimeout(waiting.get(client));
      waiting.delete(client);
    });
    client.on('error', () => client.destroy());
    next();
  });
  const close = () => {
    server.close();
    for (const client of waiting.keys()) client.destroy();
  };
  return { server, close };
}

/** A Postgres ErrorResponse: FATAL, SQLSTATE 53300 (too_many_connections). */
function tooManyConnections(message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C53300\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
