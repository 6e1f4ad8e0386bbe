import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { aptInstall, findExecutable } from './apt.js';
import { spawnChild } from './child.js';
import { getFreePort, waitUntil } from './ports.js';
import { killStalePidfile } from './pidfile.js';

const SBIN = ['/usr/sbin', '/usr/bin', '/usr/local/bin'];

/** Path of `redis-server`, installing the Debian package when we are root with apt; otherwise throws naming the command to run. */
export function ensureRedisBinary(): string {
  const found = findExecutable('redis-server', SBIN);
  if (found) return found;
  aptInstall('redis-server', 'redis-server is not installed (no pure-JavaScript Redis can serve other processes)');
  const installed = findExecutable('redis-server', SBIN);
  if (!installed) throw new Error('apt-get installed redis-server but no redis-server binary was found on PATH');
  return installed;
}

export interface RedisServerOptions {
  /** Port on 127.0.0.1. Default: a free port. Pass a previous port to simulate a restart. */
  port?: number;
  /** Data directory. Default: a temp dir removed on stop. Given a dir, data is kept there as an append-only file. */
  dir?: string;
  /** Own process group, so a terminal's Ctrl-C reaches the orchestrator only, which then stops things in order. Default false. */
  detached?: boolean;
  /** Receives Redis' log lines (warnings and above). Default: kept silent, shown only on failure. */
  onLine?: (line: string) => void;
  /** More redis.conf settings (`name: value`), e.g. cluster mode's. */
  settings?: Record<string, string>;
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A private `redis-server` child on 127.0.0.1; no persistence unless `dir` is given. */
export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = ensureRedisBinary();
  const port = opts.port ?? (await getFreePort());
  const persistent = opts.dir !== undefined;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'fibgraph-redis-'));
  mkdirSync(dir, { recursive: true });
  const pidfile = path.join(dir, 'redis-server.pid');
  // Two servers appending to one AOF would corrupt it; a pidfile left by a stack that was SIGKILLed names the orphan.
  if (persistent) await killStalePidfile(pidfile, 'redis-server');

  // `save ''` turns RDB snapshots off; persistence, when wanted, is the append-only file alone.
  const settings: Record<string, string> = {
    port: String(port),
    bind: '127.0.0.1',
    dir,
    daemonize: 'no',
    save: '',
    appendonly: persistent ? 'yes' : 'no',
    loglevel: 'warning',
    logfile: '',
    ...(persistent ? { pidfile } : {}),
    ...opts.settings,
  };
  const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, value]);
  const child = spawnChild('redis-server', binary, args, { detached: opts.detached ?? false, onLine: opts.onLine });
  try {
    await waitUntil(`redis-server on port ${port}`, () => ping(port), { timeoutMs: 20_000, abort: child.exitedEarly });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      // SIGTERM makes Redis flush the AOF before exiting, so a persistent dir survives the restart.
      await child.stop('SIGTERM');
      if (!persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True once Redis answers PONG; LOADING replies (while replaying the AOF) count as not ready. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Path of `redis-cli` (Debian's redis-tools, which redis-server depends on), installing it when we can. */
function ensureRedisCli(): string {
  ensureRedisBinary();
  const found = findExecutable('redis-cli', SBIN);
  if (found) return found;
  aptInstall(
    'redis-tools',
    'redis-cli is not installed (it creates the test Redis Cluster: redis-cli --cluster create)',
  );
  const installed = findExecutable('redis-cli', SBIN);
  if (!installed) throw new Error('apt-get installed redis-tools but no redis-cli binary was found on PATH');
  return installed;
}

export interface RedisCluster {
  /** One node's URL: a cluster client seeded with it finds the others. */
  url: string;
  /** Every node's port, in order. */
  ports: number[];
  stop(): Promise<void>;
}

const run = promisify(execFile);

/**
 * A private Redis Cluster of `masters` redis-server children (default 3, no replicas) on
 * 127.0.0.1, every slot assigned, ready once each node says `cluster_state:ok`. Each node has its
 * own temp dir (its nodes.conf), removed on stop.
 */
export async function startRedisCluster(opts: { masters?: number } = {}): Promise<RedisCluster> {
  const cli = ensureRedisCli();
  // A free port can be taken by another process before a node binds it: then start afresh, once.
  try {
    return await launchCluster(cli, opts.masters ?? 3);
  } catch (first) {
    return launchCluster(cli, opts.masters ?? 3).catch((second: unknown) => {
      throw new AggregateError([first, second], `a Redis Cluster did not start, twice: ${String(second)}`);
    });
  }
}

async function launchCluster(cli: string, masters: number): Promise<RedisCluster> {
  const nodes = await Promise.allSettled(
    Array.from({ length: masters }, async () =>
      startRedisServer({
        settings: {
          'cluster-enabled': 'yes',
          'cluster-config-file': 'nodes.conf',
          // The bus port is chosen too: the default (port + 10000) can be beyond 65535 for a free port.
          'cluster-port': String(await getFreePort()),
          'cluster-node-timeout': '5000',
        },
      }),
    ),
  );
  const started = nodes.flatMap((node) => (node.status === 'fulfilled' ? [node.value] : []));
  const stop = async () => void (await Promise.all(started.map((node) => node.stop())));
  try {
    const failed = nodes.find((node) => node.status === 'rejected');
    if (failed) throw failed.reason;
    const ports = started.map((node) => node.port);
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    const clusterOk = async (port: number) =>
      (await run(cli, ['-p', String(port), 'cluster', 'info'], { timeout: 2_000 })).stdout.includes('cluster_state:ok');
    await waitUntil(`a Redis Cluster on ports ${ports.join(', ')}`, async () =>
      (await Promise.all(ports.map(clusterOk))).every(Boolean),
    );
    return { url: `redis://${addresses[0]}`, ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
