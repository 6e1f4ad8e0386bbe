import { createRedisClient, redisKeys, CalculationFeed, warnUnlessKeysAreKept } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { GatewayServices } from './context.js';
import { CalculationStore } from './data/calculations.js';
import { connectPostgres, SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';
import { createPubSub } from './pubsub.js';
import { Reconciler } from './reconciler.js';
import { createGatewayServer, type GatewayServer } from './server.js';
import { SubmitLimiter } from './submit-limiter.js';

export interface Gateway {
  server: GatewayServer;
  reconciler: Reconciler;
  /** Drains the server, then closes Redis and Postgres, in that order. */
  close(): Promise<void>;
}

/** How long the reconciler's queries may take. */
const BACKGROUND_TIMEOUT_MS = 60_000;

/** Wires the gateway's parts together; index.ts only boots it. */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const keys = redisKeys(config.redisPrefix);
  // Requests must not hang while Redis is away: they fail with SERVICE_UNAVAILABLE (readyz says why),
  // at once while it is disconnected. No offline queue: a command that timed out waiting there
  // would still run once Redis is back (a reconciler lock taken by nobody, say).
  const timeout = config.dependencyTimeoutMs;
  // Commands of concurrent requests issued in one tick go to Redis in one write (auto-pipelining):
  // a write to a socket costs more CPU than building several commands.
  const redis = createRedisClient(config.redisUrl, 'gateway-commands', logger, {
    commandTimeout: timeout,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    cluster: config.redisCluster,
  });
  warnUnlessKeysAreKept(redis, logger);
  const submissions = new SubmissionStore(connectPostgres(config.databaseUrl, config.databasePoolMax, timeout, logger));
  // The reconciler's walks (every submitted index, after Redis lost everything) may take longer
  // than a request may wait: a small pool of their own with a minute's timeouts. Not beside the
  // embedded Postgres, which serves exactly one connection (DATABASE_POOL_MAX=1).
  const background =
    config.databasePoolMax > 1
      ? new SubmissionStore(connectPostgres(config.databaseUrl, 2, BACKGROUND_TIMEOUT_MS, logger))
      : submissions;
  const pubsub = createPubSub(config.redisUrl, timeout, logger, config.redisCluster);
  const calculations = new CalculationStore(
    redis,
    keys,
    pubsub,
    { admission: config.admission, recomputeWaitMs: config.recomputeWaitMs },
    logger,
  );
  const submitLimiter = new SubmitLimiter(redis, keys, config.submitRate);
  const feed = new CalculationFeed(redis, keys);
  const services: GatewayServices = { config, keys, submissions, calculations, feed, pubsub, submitLimiter, logger };

  const server = await createGatewayServer(services);
  const reconciler = new Reconciler(
    redis,
    keys,
    background,
    calculations,
    {
      intervalMs: config.reconcileIntervalMs,
      batch: config.reconcileBatch,
      retentionDays: config.retentionDays,
    },
    logger,
  );

  return {
    server,
    reconciler,
    async close() {
      await server.stop();
      await reconciler.stop();
      await pubsub.close();
      await redis.quit().catch(() => redis.disconnect());
      await submissions.disconnect();
      if (background !== submissions) await background.disconnect();
    },
  };
}
