import { createRedisClient, redisKeys } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { GatewayServices } from './context.js';
import { ResultCache } from './data/results.js';
import { createPrisma, SubmissionStore } from './data/submissions.js';
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

/** Wires the gateway's parts together; index.ts only boots it. */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const keys = redisKeys(config.redisPrefix);
  // Requests must not hang while Redis is away: they fail with SERVICE_UNAVAILABLE (readyz says why),
  // at once while it is disconnected. No offline queue: a command that timed out waiting there
  // would still run once Redis is back (a reconciler lock taken by nobody, say).
  const timeout = config.dependencyTimeoutMs;
  const redis = createRedisClient(config.redisUrl, 'gateway-commands', logger, {
    commandTimeout: timeout,
    enableOfflineQueue: false,
  });
  const prisma = createPrisma(config.databaseUrl, config.databasePoolMax, timeout, logger);
  const submissions = new SubmissionStore(prisma);
  const results = new ResultCache(redis, keys);
  const pubsub = createPubSub(config.redisUrl, timeout, logger);
  const submitLimiter = new SubmitLimiter(redis, keys, config.submitRate);
  const services: GatewayServices = { config, keys, submissions, results, pubsub, submitLimiter, logger };

  const server = await createGatewayServer(services);
  const reconciler = new Reconciler(
    redis,
    keys,
    submissions,
    results,
    {
      intervalMs: config.reconcileIntervalMs,
      batch: config.reconcileBatch,
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
    },
  };
}
