// The worker image's HEALTHCHECK (worker/Dockerfile copies this file to the same path under /app,
// beside the worker's dist/).
//
// The worker serves no port. Instead its job loop writes the time into HEALTH_FILE (default
// /tmp/fibgraph-worker.alive) whenever Redis answers it: each XAUTOCLAIM and each XREADGROUP
// (BLOCK 2000) while it waits for jobs, so at least every ~2 s, and each heartbeat (XCLAIM JUSTID)
// while it computes, every CLAIM_IDLE_MS / 3; at most one write a second. Healthy means that time
// is younger than max(10 s, CLAIM_IDLE_MS): at least three heartbeats' time while computing, five
// loop turns while waiting, and no longer than the job group waits before it hands a silent
// worker's job to another worker (the same silence means dead to both). A pass proves the process
// runs, reaches Redis and its loop turns. It does not prove that any given job succeeds: the
// worker itself retries a failing job and marks it FAILED after MAX_ATTEMPTS.
//
// The file lives in the container, so the check needs no network and is right whatever address
// the worker's connections come from (NAT included). A worker that stops cleanly removes the file;
// one that is killed leaves it to go stale.
//
// Plain JavaScript, because the runtime image has no TypeScript tooling. The env is read through
// the worker's own config module, so names, defaults and validation are the worker's.
import { readFileSync } from 'node:fs';
import { loadConfig } from './dist/config.js';

const config = loadConfig();
const maxAgeMs = Math.max(10_000, config.claimIdleMs);

function check() {
  const file = config.healthFile;
  if (!file) return { ok: false, why: 'HEALTH_FILE=off: the worker writes no health file to check' };
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err?.code === 'ENOENT') {
      return { ok: false, why: `no health file at ${file} (worker not started, stopped, or never reached Redis)` };
    }
    return { ok: false, why: `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const stamp = Number(text.trim());
  if (!Number.isSafeInteger(stamp) || stamp <= 0) {
    return { ok: false, why: `${file} holds no time: ${JSON.stringify(text.slice(0, 40))}` };
  }
  const ageMs = Date.now() - stamp;
  const seconds = (ms) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  if (ageMs >= maxAgeMs) {
    const why = `stale by ${seconds(ageMs - maxAgeMs)}: the worker last heard from Redis ${seconds(ageMs)} ago (limit ${seconds(maxAgeMs)})`;
    return { ok: false, why };
  }
  return { ok: true, why: `the worker heard from Redis ${seconds(ageMs)} ago` };
}

const { ok, why } = check();
// Docker keeps this output with the health status (docker inspect); say why either way.
process.stdout.write(`${ok ? 'healthy' : 'unhealthy'}: ${why}\n`);
process.exit(ok ? 0 : 1);
