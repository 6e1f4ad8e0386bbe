// The worker image's HEALTHCHECK (worker/Dockerfile copies this file to the same path under /app).
//
// The worker serves no port, so this asks Redis. Healthy means: a connection the worker opened
// from this container's address (its clients are named worker-commands and worker-blocking) is
// blocked in XREADGROUP right now, or ran a command within the last max(10 s, CLAIM_IDLE_MS).
// The job loop touches Redis at least every 2 s while it waits for jobs (XAUTOCLAIM, then
// XREADGROUP BLOCK 2000) and every CLAIM_IDLE_MS / 3 while it computes (heartbeats), so a pass
// proves the process runs, reaches Redis, and its loop turns. It does not prove that any given
// job succeeds: the worker itself retries a failing job and marks it FAILED after MAX_ATTEMPTS.
//
// Addresses, not names, tell this container's worker from others: a worker container has an
// address of its own on the compose network. Behind NAT (a Redis outside the Docker host, as on
// Elastic Beanstalk) every container of a host shares the host's address, which is still right
// while a host runs one worker, as Dockerrun.aws.json does.
//
// Plain JavaScript, because the runtime image has no TypeScript tooling. The env is read through
// the worker's own config module, so names, defaults and validation are the worker's.
import { Redis } from 'ioredis';
import { loadConfig } from '../../worker/dist/config.js';

const WORKER_CONNECTIONS = new Set(['worker-commands', 'worker-blocking']);

const config = loadConfig();
const maxIdleSeconds = Math.max(10, Math.ceil(config.claimIdleMs / 1000));

/** One line of CLIENT LIST / CLIENT INFO: `id=7 addr=10.0.0.5:51234 ... name=x ... flags=b ...`. */
function parseClient(line) {
  return Object.fromEntries(
    line
      .trim()
      .split(' ')
      .map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]),
  );
}

/** `10.0.0.5:51234` -> `10.0.0.5`; `[::1]:51234` -> `[::1]`. */
const hostOf = (addr = '') => addr.slice(0, addr.lastIndexOf(':'));

async function check() {
  const redis = new Redis(config.redisUrl, {
    connectionName: 'worker-healthcheck',
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // A refused connection rejects connect() below with a vague "Connection is closed"; keep the
  // socket's own error for the message (a listener also stops ioredis printing it).
  let socketError;
  redis.on('error', (err) => (socketError = err));
  try {
    await redis.connect();
    const me = parseClient(String(await redis.client('INFO')));
    const mine = String(await redis.client('LIST', 'TYPE', 'normal'))
      .split('\n')
      .filter((line) => line.trim())
      .map(parseClient)
      .filter((client) => WORKER_CONNECTIONS.has(client.name) && hostOf(client.addr) === hostOf(me.addr));
    if (mine.length === 0) return { ok: false, why: `no worker connection from ${hostOf(me.addr)}` };
    const live = mine.filter((client) => client.flags.includes('b') || Number(client.idle) <= maxIdleSeconds);
    if (live.length === 0) {
      const idle = Math.min(...mine.map((client) => Number(client.idle)));
      return { ok: false, why: `worker connections idle for ${idle} s (more than ${maxIdleSeconds} s)` };
    }
    return { ok: true, why: `worker connection active (${live.map((client) => client.name).join(', ')})` };
  } catch (err) {
    const cause = socketError ?? err;
    return { ok: false, why: `redis: ${cause instanceof Error ? cause.message : String(cause)}` };
  } finally {
    redis.disconnect();
  }
}

const { ok, why } = await check();
// Docker keeps this output with the health status (docker inspect); say why either way.
process.stdout.write(`${ok ? 'healthy' : 'unhealthy'}: ${why}\n`);
process.exit(ok ? 0 : 1);
