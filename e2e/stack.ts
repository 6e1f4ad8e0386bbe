/**
 * The local stack the browser tests run against: `packages/devstack/src/start.ts` exactly as `npm start` runs it
 * (after the build `npm test` has done), with its data in a fresh temp dir so a developer's .data/
 * and running stack are untouched, and its output in e2e/artifacts/stack.log.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { getFreePort, REPO_ROOT } from '@fibgraph/devstack';
import { artifactPath } from './artifacts.js';
import { descendantsOf, isRunning, type ProcessInfo } from './procs.js';

export interface RunningStack {
  /** `http://localhost:<port>`: nginx, the only public entry. */
  baseUrl: string;
  /** Pid of packages/devstack/src/start.ts; gateways and workers are its direct children. */
  pid: number;
  /** Stops it and checks that nothing it started is left: no process, no temp dir. */
  stop(): Promise<void>;
}

/** Variables of the stack that a developer's shell may set; the tests decide them. */
const STACK_VARS =
  /^(VITEST.*|GATEWAYS|WORKERS|FIBGRAPH_.*|DATABASE_URL|REDIS_(URL|HOST|PORT|PREFIX)|MAX_INDEX|PLAYGROUND)$/;
const READY = /^\[stack\] ready in /;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

const log = (message: string) => console.log(`[e2e] ${message}`);

/**
 * Starts the stack on a free port unless `env` names FIBGRAPH_PORT (the benches measure the stack a
 * user opens, on 8080), and its log in `logFile`. The tests never use 8080: they assert on what the stack holds, so no
 * one else may reach it by accident (a tab left open on a developer's `npm start`, the smoke
 * script, a load run; a submission from one of those once stood on top of a test's own list).
 */
export async function startStack(
  env: Record<string, string>,
  { logFile = artifactPath('stack.log') }: { logFile?: string } = {},
): Promise<RunningStack> {
  const port = env.FIBGRAPH_PORT ? Number(env.FIBGRAPH_PORT) : await getFreePort();
  const dataDir = mkdtempSync(`${os.tmpdir()}/fibgraph-e2e-`);
  const output = createWriteStream(logFile);
  const inherited = Object.entries(process.env).filter(([name]) => !STACK_VARS.test(name));
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/devstack/src/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...Object.fromEntries(inherited),
      NODE_ENV: 'development',
      FIBGRAPH_DATA_DIR: dataDir,
      FIBGRAPH_PORT: String(port),
      FIBGRAPH_PROXY: 'nginx',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.on('error', (error) => lines.push(`could not start: ${error.message}`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.write(`${line}\n`);
        lines.push(line);
        if (lines.length > 40) lines.shift();
        if (READY.test(line)) resolve();
      });
    }
  });

  const pid = child.pid ?? 0;
  const stop = () => stopStack(pid, exited, dataDir).finally(() => output.end());
  const outcome = await Promise.race([
    ready.then(() => 'ready'),
    exited.then((code) => `exited with code ${code}`),
    delay(START_TIMEOUT_MS, undefined, { ref: false }).then(() => `was not ready within ${START_TIMEOUT_MS} ms`),
  ]);
  if (outcome !== 'ready') {
    await stop().catch((error: unknown) => log(String(error)));
    throw new Error(`the local stack ${outcome} (log: ${logFile}); its last lines:\n${lines.join('\n')}`);
  }
  log(`stack ready at http://localhost:${port} (log: ${logFile})`);
  return { baseUrl: `http://localhost:${port}`, pid, stop };
}

/**
 * SIGTERM, as Ctrl-C would; the stack stops its services and servers in order. Then every process
 * it had started must be gone, and the temp dirs with them; whatever is not is killed and reported.
 */
async function stopStack(pid: number, exited: Promise<number | null>, dataDir: string): Promise<void> {
  // pid 0 is the kernel's: a stack that never started has nothing of its own to look for.
  const started: ProcessInfo[] = pid > 0 ? descendantsOf(pid) : [];
  signal(pid, 'SIGTERM');
  const inTime = await Promise.race([
    exited.then(() => true),
    delay(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => false),
  ]);
  const problems: string[] = [];
  if (!inTime) {
    problems.push(`the stack did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
    signal(pid, 'SIGKILL');
  }
  for (const leftover of started.filter(isRunning)) {
    problems.push(`left running: ${leftover.pid} ${leftover.command}`);
    signal(leftover.pid, 'SIGKILL');
  }
  // nginx runs from a temp dir of its own (`-p <dir>`), which the stack removes once nginx is gone.
  const nginxDirs = started.flatMap((p) => /nginx: master process .* -p (\S+)/.exec(p.command)?.[1] ?? []);
  for (const dir of nginxDirs.filter((d) => existsSync(d))) problems.push(`left behind: ${dir}`);
  rmSync(dataDir, { recursive: true, force: true });
  if (problems.length > 0) throw new Error(`stopping the local stack:\n  ${problems.join('\n  ')}`);
  log(`stack stopped; none of its ${started.length} processes is left`);
}

/** A process that has exited already is fine here; pid 0 (never started) is no process at all. */
function signal(pid: number, name: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
}
