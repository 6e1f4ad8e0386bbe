import { describe, expect, it } from 'vitest';
import { loadServiceConfig, sharedEnvSchema } from './env.js';

const redisUrl = 'redis://127.0.0.1:6379';
const problems = (env: NodeJS.ProcessEnv) =>
  sharedEnvSchema.safeParse(env).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
const config = (env: NodeJS.ProcessEnv) => loadServiceConfig('test', sharedEnvSchema, env, () => ({}));

describe('REDIS_CLUSTER and REDIS_PREFIX', () => {
  it('keys under fib: on one Redis, as always', () => {
    expect(config({ REDIS_URL: redisUrl })).toMatchObject({ redisCluster: false, redisPrefix: 'fib:' });
    expect(config({ REDIS_URL: redisUrl, REDIS_PREFIX: 'x:' }).redisPrefix).toBe('x:');
  });

  it('keys under the tagged {fib}: on a cluster, or under a prefix given with a tag', () => {
    expect(config({ REDIS_URL: redisUrl, REDIS_CLUSTER: 'true' })).toMatchObject({
      redisCluster: true,
      redisPrefix: '{fib}:',
    });
    expect(config({ REDIS_URL: redisUrl, REDIS_CLUSTER: 'true', REDIS_PREFIX: 'staging:{fib}:' }).redisPrefix).toBe(
      'staging:{fib}:',
    );
  });

  it('refuses a cluster with a prefix holding no hash tag, beside every other problem', () => {
    expect(problems({ REDIS_CLUSTER: 'true', REDIS_PREFIX: 'fib:', MAX_INDEX: '-1' })).toEqual([
      'MAX_INDEX: Too small: expected number to be >=0',
      'REDIS_URL: set REDIS_URL (or REDIS_HOST and REDIS_PORT)',
      'REDIS_PREFIX: with REDIS_CLUSTER=true the prefix must hold a hash tag, like {fib}: (every key a script touches must be in one slot)',
    ]);
    expect(problems({ REDIS_URL: redisUrl, REDIS_CLUSTER: 'yes' })).toEqual(['REDIS_CLUSTER: must be true or false']);
  });
});
