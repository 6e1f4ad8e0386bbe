import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** The slice of a logger this module needs: any pino Logger (logger.ts) fits, and so does a test's stub. */
export interface EventLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A connection to one Redis, or to a Redis Cluster: both run every command and script this project sends. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions extends RedisOptions {
  /**
   * The URL names one node of a Redis Cluster (REDIS_CLUSTER): the client learns the others and
   * sends each command to the node holding its keys. Every key must then share one hash tag
   * (keys.ts, env.ts). Default false.
   */
  cluster?: boolean;
}

/**
 * One ioredis client with its connection events logged here, once, rather than by every user.
 * ioredis reconnects by itself with backoff; `maxRetriesPerRequest: null` makes commands wait for
 * the reconnect instead of failing while Redis restarts.
 */
export function createRedisClient(
  url: string,
  name: string,
  logger: EventLogger,
  { cluster = false, ...options }: RedisClientOptions = {},
): RedisClient {
  const settings: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    ...options,
  };
  const client = cluster ? clusterClient(url, settings) : new Redis(url, settings);
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
 * A Cluster client seeded with the node `url` names (its credentials and TLS apply to every node).
 * Reconnecting and the offline queue are the Cluster's own settings: ioredis gives its node
 * connections neither (a lost node is found again through the cluster's slot map).
 */
function clusterClient(url: string, { retryStrategy, enableOfflineQueue, ...nodeOptions }: RedisOptions): Cluster {
  const { hostname, port, username, password, protocol } = new URL(url);
  const tls = protocol === 'rediss:';
  return new Cluster([{ host: hostname, port: Number(port || 6379) }], {
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // With TLS, nodes must be reached by the names their certificates carry (ElastiCache's advice).
    ...(tls ? { dnsLookup: (address: string, done: (err: null, address: string) => void) => done(null, address) } : {}),
    redisOptions: {
      ...nodeOptions,
      username: username ? decodeURIComponent(username) : undefined,
      password: password ? decodeURIComponent(password) : undefined,
      tls: tls ? {} : undefined,
    },
  });
}

/**
 * Jobs, calculations and lists must never be evicted; only values are a cache, and the worker
 * releases those itself (VALUE_CACHE_MB). A Redis that evicts any key when full (`allkeys-*`, often
 * preset on managed Redis) could drop a job: say so loudly at start. (On a cluster, one node answers.)
 */
export function warnUnlessKeysAreKept(client: RedisClient, logger: EventLogger): void {
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
