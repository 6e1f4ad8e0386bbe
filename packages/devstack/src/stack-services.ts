import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnChild, type ManagedChild } from './child.js';
import { stackLog as log } from './log.js';
import { findNginx, prepareNginx } from './nginx.js';
import { getFreePort, preferPort, waitUntil } from './ports.js';
import { REPO_ROOT } from './repo.js';
import type { Service } from './services.js';
import type { StackConfig } from './stack-config.js';

/** The same entry points the container images run. */
const GATEWAY_ENTRY = 'gateway/dist/index.js';
const WORKER_ENTRY = 'worker/dist/index.js';
/**
 * The worker's command after `node`, as worker/Dockerfile's CMD and compose.dev.yaml have it
 * (deploy checks compare them). A young generation of 2 MB a semi-space instead of V8's 16: under
 * the bench's load (`npm run bench -- big-index throughput fanout`, four runs each way) the worker
 * held 101-117 MB instead of 126-139, for 3-4% fewer results a second and no slower F(10^6).
 */
export const WORKER_COMMAND = ['--max-semi-space-size=2', WORKER_ENTRY] as const;
const WEB_ROOT = 'web/dist';
const WEB_BUILD = `${WEB_ROOT}/index.html`;
/** Where there is no nginx: serves web/dist and proxies /api. */
const WEB_SERVER = 'packages/devstack/src/web-server.ts';

export interface BuiltService {
  child: ManagedChild;
  /** Resolves once the service can be used; rejects if it exits first. */
  ready(): Promise<void>;
}

/**
 * The built gateway, run as its image runs it, on a free port (PORT); ready once /readyz answers
 * 200. `env` is its whole environment. For tests and benches (`npm start` supervises its own).
 */
export async function spawnGateway(env: NodeJS.ProcessEnv): Promise<BuiltService & { port: number }> {
  const port = await getFreePort();
  const child = spawnChild('gateway', process.execPath, [GATEWAY_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) },
  });
  const ready = () =>
    waitUntil('gateway /readyz', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
      timeoutMs: 30_000,
      abort: child.exitedEarly,
    });
  return { child, port, ready };
}

/**
 * The built worker, run as its image runs it; `env` is its whole environment. Ready once it logs
 * that it started (at LOG_LEVEL info or lower). `onLine` receives every line it prints.
 */
export function spawnWorker(env: NodeJS.ProcessEnv, onLine?: (line: string) => void): BuiltService {
  // Watched as lines come, not in output()'s last lines: a worker that finds a backlog logs a line
  // per job at once, which can push its start out of them before the next look.
  let started = false;
  const child = spawnChild('worker', process.execPath, [...WORKER_COMMAND], {
    cwd: REPO_ROOT,
    env,
    onLine: (line) => {
      if (line.includes('worker started')) started = true;
      onLine?.(line);
    },
  });
  const ready = () => waitUntil('worker start', async () => started, { abort: child.exitedEarly });
  return { child, ready };
}

/** Fails early with the fix, instead of letting every service crash-loop on a missing file. */
export function assertBuilt(): void {
  const missing = [GATEWAY_ENTRY, WORKER_ENTRY, WEB_BUILD].filter((file) => !existsSync(path.join(REPO_ROOT, file)));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}; run \`npm run build\` (npm start does)`);
}

/** nginx when wanted and present; Vite's proxy otherwise, which balances nothing. */
export function chooseProxy(config: StackConfig): 'nginx' | 'node' {
  const installed = findNginx() !== undefined;
  if (config.FIBGRAPH_PROXY === 'nginx' && !installed) {
    throw new Error('FIBGRAPH_PROXY=nginx, but nginx is not installed (apt-get install -y nginx)');
  }
  if (config.FIBGRAPH_PROXY === 'nginx' || (config.FIBGRAPH_PROXY === 'auto' && installed)) return 'nginx';
  if (!installed) log.warn('nginx is not installed; routing through a Node proxy (apt-get install -y nginx)');
  if (config.GATEWAYS > 1) {
    log.warn(`the Node proxy sends everything to the first gateway; nginx is needed to balance ${config.GATEWAYS}`);
  }
  return 'node';
}

export interface ServiceInputs {
  config: StackConfig;
  proxy: 'nginx' | 'node';
  /** Environment every gateway gets: DATABASE_URL, REDIS_URL and the like. */
  env: Record<string, string>;
}

export interface BuiltServices {
  services: Service[];
  /** Temp dirs to remove once the services have stopped. */
  cleanup: string[];
  /** URLs that answer 200 once the services behind the proxy are up, to wait on before asking through it. */
  directProbes: string[];
}

const sh = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
const node = (...args: string[]) => [process.execPath, ...args].map(sh).join(' ');

/**
 * The workers, with `env` (REDIS_URL and the like). They need Redis only, never Postgres, so they
 * can start while Postgres is still starting.
 */
export function buildWorkers(config: StackConfig, env: Record<string, string>): Service[] {
  return Array.from({ length: config.WORKERS }, (_, i) => ({
    name: `worker${config.WORKERS > 1 ? `-${i + 1}` : ''}`,
    command: node(...WORKER_COMMAND),
    env,
    prefixColor: 'magenta',
  }));
}

/** The gateways and the proxy in front of them, on ports free right now: start them at once. */
export async function buildServices({ config, proxy, env }: ServiceInputs): Promise<BuiltServices> {
  const services: Service[] = [];
  const gatewayPorts: number[] = [];
  for (let i = 0; i < config.GATEWAYS; i++) {
    // 5000 upward, like the containers, unless something already holds the port.
    const port = await preferPort(5000 + i);
    gatewayPorts.push(port);
    services.push({
      name: `gateway${config.GATEWAYS > 1 ? `-${i + 1}` : ''}`,
      command: node(GATEWAY_ENTRY),
      env: { ...env, PORT: String(port) },
      prefixColor: 'cyan',
    });
  }

  const gatewayProbes = gatewayPorts.map((port) => `http://127.0.0.1:${port}/healthz`);
  if (proxy === 'node') {
    const api = `http://127.0.0.1:${gatewayPorts[0]}`;
    services.push({
      name: 'proxy',
      command: `${node('--import', 'tsx', WEB_SERVER)} --port ${config.FIBGRAPH_PORT} --host 0.0.0.0 --api ${sh(api)}`,
      prefixColor: 'green',
    });
    return { services, cleanup: [], directProbes: gatewayProbes };
  }
  // nginx serves web/dist itself, with the web image's own server (web/nginx.conf) on a loopback
  // port that default.conf's `upstream web` points at: the routing path is production's.
  const webPort = await preferPort(3000);
  const nginx = prepareNginx({
    apiServers: gatewayPorts.map((port) => `127.0.0.1:${port}`),
    webServer: `127.0.0.1:${webPort}`,
    listenPort: config.FIBGRAPH_PORT,
    webRoot: path.join(REPO_ROOT, WEB_ROOT),
  });
  services.push({
    name: 'nginx',
    command: [findNginx() ?? 'nginx', ...nginx.args].map(sh).join(' '),
    prefixColor: 'yellow',
  });
  return { services, cleanup: [nginx.dir], directProbes: gatewayProbes };
}
