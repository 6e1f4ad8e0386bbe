import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { RedisKeys } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { ResultCache } from './data/results.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';

/** What every resolver receives. The same object serves every request: it holds no request state. */
export interface GatewayContext {
  config: GatewayConfig;
  keys: RedisKeys;
  submissions: SubmissionStore;
  results: ResultCache;
  pubsub: RedisPubSub;
  logger: Logger;
}
