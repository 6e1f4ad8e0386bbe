import { createRedisClient } from '@fibgraph/core';
import { getFreePort } from '@fibgraph/devstack';
import { describe, expect, it } from 'vitest';
import { fromRedis } from './unavailable.js';

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
