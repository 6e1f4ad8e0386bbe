import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@fibgraph/devstack';
import { GraphQLClient } from './graphql-client.js';
import { VALUE_CALCULATED } from './operations.js';
import { TestSystem } from './system.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('configuration', () => {
  it('refuses to start the gateway with bad env, naming every problem at once', () => {
    const run = spawnSync(process.execPath, ['gateway/dist/index.js'], {
      cwd: root,
      env: { PATH: process.env.PATH, MAX_INDEX: 'lots', PORT: '-1' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    for (const name of ['MAX_INDEX', 'PORT', 'DATABASE_URL', 'REDIS_URL']) expect(run.stderr).toContain(`- ${name}:`);
  });

  it('refuses to start the worker without Redis settings', () => {
    const run = spawnSync(process.execPath, ['worker/dist/index.js'], {
      cwd: root,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('REDIS_URL: set REDIS_URL (or REDIS_HOST and REDIS_PORT)');
  });
});

describe('subscriptions and shutdown', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({ gateways: 1, workers: 0 });
  });
  afterAll(() => system?.stop());

  const channelSubscribers = async () => {
    const [, count] = (await system.inspect().call('PUBSUB', 'NUMSUB', `${system.prefix}valueCalculated`)) as [
      string,
      number,
    ];
    return count;
  };

  it('stops listening on Redis when the last subscribed client disconnects', async () => {
    const client = new GraphQLClient(`127.0.0.1:${system.gateways[0]!.port}`);
    await client.subscribe(VALUE_CALCULATED);
    await waitUntil('the gateway to subscribe', async () => (await channelSubscribers()) === 1);
    await client.close();
    await waitUntil('the gateway to unsubscribe', async () => (await channelSubscribers()) === 0);
  });

  it('answers /healthz and drains on SIGTERM, exiting 0 and closing subscriptions', async () => {
    // As in the images: in production Apollo would install signal handlers of its own.
    const gateway = await system.addGateway({ NODE_ENV: 'production' });
    expect((await fetch(`http://127.0.0.1:${gateway.port}/healthz`)).status).toBe(200);
    const client = new GraphQLClient(`127.0.0.1:${gateway.port}`);
    await client.subscribe(VALUE_CALCULATED);
    await waitUntil('the gateway to subscribe', async () => (await channelSubscribers()) === 1);

    gateway.child.process.kill('SIGTERM');
    expect(await gateway.child.exited).toBe(0);
    await waitUntil('the server to close the subscription socket', async () => client.closed, { timeoutMs: 5_000 });
    expect(await channelSubscribers()).toBe(0);
    await client.close();
  });
});
