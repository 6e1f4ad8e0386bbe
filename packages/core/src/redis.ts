import { Redis, type RedisOptions } from 'ioredis';

/** The slice of a logger this module needs: any pino Logger (logger.ts) fits, and so does a test's stub. */
export interface EventLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * One ioredis client with its connection events logged here, once, rather than by every user.
 * ioredis reconnects by itself with backoff; `maxRetriesPerRequest: null` makes commands wait for
 * the reconnect instead of failing while Redis restarts.
 */
export function createRedisClient(url: string, name: string, logger: EventLogger, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    ...options,
  });
  let wasReady = false;
  client.on('ready', () => {
    logger.info({ redis: name }, wasReady ? 'redis reconnected' : 'redis connected');
    wasReady = true;
  });
  client.on('error', (err: Error) => logger.warn({ redis: name, err: err.message }, 'redis error'));
  client.on('end', () => logger.info({ redis: name }, 'redis connection closed'));
  return client;
}

/**
 * Jobs, calculations and lists must never be evicted; only values are a cache, and the worker
 * releases those itself (VALUE_CACHE_MB). A Redis that evicts any key when full (`allkeys-*`, often
 * preset on managed Redis) could drop a job: say so loudly at start.
 */
export function warnUnlessKeysAreKept(client: Redis, logger: EventLogger): void {
  client.once('ready', () => {
    (client.config('GET', 'maxmemory-policy') as Promise<string[]>).then(
      ([, policy]) => {
        if (policy?.startsWith('allkeys-')) {
          logger.error(
            { maxmemoryPolicy: policy },
            'Redis evicts any key when full: jobs and results could be lost. Set maxmemory-policy to noeviction (docs/deploy.md)',
          );
        }
      },
      (err: unknown) =>
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'could not read Redis maxmemory-policy: it must be noeviction or volatile-*, never allkeys-* (docs/deploy.md)',
        ),
    );
  });
}
