import { createRedisClient } from '@fibgraph/core';
import { getFreePort } from '@fibgraph/devstack';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fromPostgres, fromRedis } from './unavailable.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('fromRedis', () => {
  it.each([false, true])(
    'answers SERVICE_UNAVAILABLE when Redis cannot be reached (cluster: %s), as the gateway connects',
    async (cluster) => {
      const url = `redis://127.0.0.1:${await getFreePort()}`;
      const redis = createRedisClient(url, 'test', quiet, { cluster, enableOfflineQueue: false, commandTimeout: 200 });
      try {
        await expect(fromRedis(redis.ping())).rejects.toMatchObject({
          extensions: { code: 'SERVICE_UNAVAILABLE', dependency: 'Redis' },
        });
      } finally {
        redis.disconnect();
      }
    },
  );
});

describe('fromPostgres', () => {
  it('answers SERVICE_UNAVAILABLE when no address of a host with several (localhost: 127.0.0.1 and ::1) answers', async () => {
    const port = await getFreePort();
    // What node-postgres gets from Node when it connects to such a host and nothing listens there.
    const refused = await new Promise<Error>((resolve) => {
      const socket = connect({
        host: 'postgres.test',
        port,
        autoSelectFamily: true,
        lookup: (_host, _options, callback) =>
          callback(null, [
            { address: '127.0.0.1', family: 4 },
            { address: '::1', family: 6 },
          ]),
      });
      socket.on('error', resolve);
    });
    expect(refused).toBeInstanceOf(AggregateError);

    await expect(fromPostgres(Promise.reject(refused))).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', dependency: 'Postgres' },
    });
  });

  it('leaves any other error as it is', async () => {
    const bug = new TypeError('connect ECONNREFUSED, said a bug');
    await expect(fromPostgres(Promise.reject(bug))).rejects.toBe(bug);
  });
});
