/**
 * The images' HEALTHCHECK commands, exactly as the Dockerfiles write them, run against a real
 * gateway and worker started with the images' own commands (from the repository root, which
 * stands for the images' WORKDIR /app).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSystem, type ServiceProcess } from '../../gateway/test/system.js';
import { waitUntil } from '@fibgraph/devstack';
import { healthcheckOf, readDockerfile, targetStage } from './lib/dockerfile.js';
import { IMAGES, REPO_ROOT } from './lib/project.js';

function healthcheckCommand(service: 'api' | 'worker'): string[] {
  const image = IMAGES[service];
  const healthcheck = healthcheckOf(targetStage(readDockerfile(image.dockerfile), image.target));
  expect(healthcheck?.command.form, `${service}: exec form, so no shell is needed`).toBe('exec');
  return healthcheck!.command.argv;
}

/** Runs a HEALTHCHECK command the way Docker does: in the container's directory and env. */
function runHealthcheck(argv: string[], env: Record<string, string>): { status: number | null; output: string } {
  const [command, ...args] = argv;
  // The container's PATH has `node`; here the test's own node stands in for it.
  const executable = command === 'node' ? process.execPath : command!;
  const result = spawnSync(executable, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** max(10 s, CLAIM_IDLE_MS) with the CLAIM_IDLE_MS of 1000 below: how old a stamp may be. */
const STALE_AFTER_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HEALTHCHECK commands of the images', () => {
  let system: TestSystem;
  let healthDir: string;
  beforeAll(async () => {
    healthDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-health-'));
    system = await TestSystem.start({ gateways: 1, workers: 0 });
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(healthDir, { recursive: true, force: true });
  });

  interface TestWorker extends ServiceProcess {
    file: string;
    /** The image's HEALTHCHECK, run with the worker's own env, as in its container. */
    check(): { status: number | null; output: string };
  }

  /** A worker with a health file of its own: several run at once here, and others elsewhere. */
  async function startWorker(name: string, env: Record<string, string> = {}): Promise<TestWorker> {
    const workerEnv = {
      REDIS_URL: system.redis.url,
      REDIS_PREFIX: system.prefix,
      CLAIM_IDLE_MS: '1000',
      HEALTH_FILE: path.join(healthDir, `${name}.alive`),
      ...env,
    };
    const worker = await system.addWorker(workerEnv);
    const command = healthcheckCommand('worker');
    return { ...worker, file: workerEnv.HEALTH_FILE, check: () => runHealthcheck(command, workerEnv) };
  }

  const becomes = (worker: TestWorker, status: 0 | 1, what: string, timeoutMs: number) =>
    waitUntil(what, async () => worker.check().status === status, { timeoutMs, intervalMs: 500 });

  it('reports a serving gateway healthy, and a stopped one unhealthy', async () => {
    const command = healthcheckCommand('api');
    const env = { PORT: String(system.gateways[0]!.port) };
    expect(runHealthcheck(command, env).status).toBe(0);
    await system.gateways[0]!.child.stop('SIGTERM', 5_000);
    expect(runHealthcheck(command, env).status).toBe(1);
  });

  it('reports a working worker healthy, a stuck or killed one unhealthy, and a stopped one at once', async () => {
    const [working, stuck, killed] = await Promise.all(['working', 'stuck', 'killed'].map((name) => startWorker(name)));
    for (const worker of [working!, stuck!, killed!]) await becomes(worker, 0, 'a new worker to look healthy', 5_000);
    expect(working!.check().output).toMatch(/^healthy: the worker heard from Redis \d+\.\d s ago$/);

    // Stopped, not killed: its process and connections stay, but it goes quiet, as a hung one would.
    // Killed: no chance to remove its file, which stays behind with its last time.
    stuck!.child.process.kill('SIGSTOP');
    await killed!.child.stop('SIGKILL');
    const frozen = readFileSync(stuck!.file, 'utf8');
    try {
      expect(stuck!.check(), 'a short pause is no failure').toMatchObject({ status: 0 });
      await becomes(stuck!, 1, 'the stopped worker to look stuck', STALE_AFTER_MS + 10_000);
      await becomes(killed!, 1, 'the killed worker to look dead', 5_000);
      expect(stuck!.check().output).toMatch(/^unhealthy: stale by \d+\.\d s/);
      expect(readFileSync(stuck!.file, 'utf8'), 'nothing wrote while it was stopped').toBe(frozen);
      expect(existsSync(killed!.file)).toBe(true);
      expect(killed!.check().output).toMatch(/^unhealthy: stale by \d+\.\d s/);
      // The same wait, idle, leaves a worker that kept going healthy: its loop keeps the file fresh.
      expect(working!.check()).toMatchObject({ status: 0 });
    } finally {
      stuck!.child.process.kill('SIGCONT');
    }
    await becomes(stuck!, 0, 'the resumed worker to look healthy', 10_000);

    // A clean stop removes the file: unhealthy at once, not after the limit.
    await working!.child.stop('SIGTERM', 5_000);
    expect(working!.check()).toMatchObject({
      status: 1,
      output: expect.stringMatching(/^unhealthy: no health file at /),
    });
  }, 60_000);

  it('reports a worker unhealthy while Redis cannot be reached, and healthy again once it can', async () => {
    const worker = await startWorker('outage');
    await becomes(worker, 0, 'the worker to look healthy', 5_000);
    await system.restartRedis(async () => {
      await becomes(worker, 1, 'the worker without Redis to look unhealthy', STALE_AFTER_MS + 10_000);
      expect(worker.check().output).toMatch(/^unhealthy: stale by \d+\.\d s/);
    });
    await becomes(worker, 0, 'the worker to look healthy once Redis is back', 20_000);
    await worker.child.stop('SIGTERM', 5_000);
  }, 60_000);

  it('reports a worker that never reached Redis unhealthy: it has written no file', async () => {
    const worker = await startWorker('unreachable', { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      await waitUntil('Redis to refuse the worker', async () =>
        worker.child.lines().some((line) => line.includes('ECONNREFUSED')),
      );
      // Longer than a turn of the job loop: a worker that could write would have (see above).
      await sleep(2_500);
      expect(worker.check()).toMatchObject({
        status: 1,
        output: expect.stringMatching(/^unhealthy: no health file at .*never reached Redis/),
      });
      // It holds nothing, so SIGTERM stops it cleanly at once (its first command was waiting for Redis).
      worker.child.process.kill('SIGTERM');
      expect(await worker.child.exited).toBe(0);
    } finally {
      await worker.child.stop('SIGKILL');
    }
  });

  it('reports unhealthy when HEALTH_FILE=off, as the worker then writes nothing to check', () => {
    const env = { REDIS_URL: system.redis.url, HEALTH_FILE: 'off' };
    expect(runHealthcheck(healthcheckCommand('worker'), env)).toMatchObject({
      status: 1,
      output: expect.stringMatching(/^unhealthy: HEALTH_FILE=off/),
    });
  });
});
