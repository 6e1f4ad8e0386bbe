import { Redis, type RedisOptions } from 'ioredis';

/** The slice of a pino logger this module needs, so core does not depend on pino. */
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
