/**
 * The images' HEALTHCHECK commands, exactly as the Dockerfiles write them, run against a real
 * gateway and worker started with the images' own commands (from the repository root, which
 * stands for the images' WORKDIR /app).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSystem } from '../../gateway/test/system.js';
import { REPO_ROOT } from '../lib/migrate.js';
import { waitUntil } from '../lib/ports.js';
import { healthcheckOf, readDockerfile, targetStage } from './lib/dockerfile.js';
import { IMAGES } from './lib/project.js';

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

describe('HEALTHCHECK commands of the images', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({ gateways: 1, workers: 1 });
  });
  afterAll(() => system?.stop());

  const workerEnv = () => ({ REDIS_URL: system.redis.url, REDIS_PREFIX: system.prefix, CLAIM_IDLE_MS: '1000' });

  it('reports a serving gateway healthy, and a stopped one unhealthy', async () => {
    const command = healthcheckCommand('api');
    const env = { PORT: String(system.gateways[0]!.port) };
    expect(runHealthcheck(command, env).status).toBe(0);
    await system.gateways[0]!.child.stop('SIGTERM', 5_000);
    expect(runHealthcheck(command, env).status).toBe(1);
  });

  it('reports a working worker healthy, a stuck one and a dead one unhealthy', async () => {
    const command = healthcheckCommand('worker');
    const healthy = runHealthcheck(command, workerEnv());
    expect(healthy, healthy.output).toMatchObject({ status: 0 });
    expect(healthy.output).toMatch(/^healthy: worker connection active/);

    // Stopped, not killed: its connections stay open but go quiet, as a hung process would.
    const worker = system.workers[0]!.child.process;
    worker.kill('SIGSTOP');
    try {
      // max(10 s, CLAIM_IDLE_MS) of silence, plus the XREADGROUP block it was in when stopped.
      await waitUntil(
        'the stopped worker to look stuck',
        async () => runHealthcheck(command, workerEnv()).status === 1,
        {
          timeoutMs: 20_000,
          intervalMs: 1_000,
        },
      );
      expect(runHealthcheck(command, workerEnv()).output).toMatch(/^unhealthy: worker connections idle for \d+ s/);
    } finally {
      worker.kill('SIGCONT');
    }
    await waitUntil(
      'the resumed worker to look healthy',
      async () => runHealthcheck(command, workerEnv()).status === 0,
      {
        timeoutMs: 10_000,
        intervalMs: 500,
      },
    );

    await system.workers[0]!.child.stop('SIGTERM', 5_000);
    expect(runHealthcheck(command, workerEnv())).toMatchObject({
      status: 1,
      output: expect.stringMatching(/no worker connection/),
    });
  }, 60_000);

  it('reports the worker unhealthy when Redis cannot be reached', () => {
    const result = runHealthcheck(healthcheckCommand('worker'), { ...workerEnv(), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result).toMatchObject({ status: 1, output: expect.stringMatching(/^unhealthy: redis: .*ECONNREFUSED/) });
  });
});
