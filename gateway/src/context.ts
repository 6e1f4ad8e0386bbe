import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { RedisKeys } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { ResultCache } from './data/results.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';
import type { ValueBudget } from './value-budget.js';

/**
 * What every resolver receives. One object serves every request and subscription; an HTTP request
 * gets a copy with its own `valueBudget` (the only request state).
 */
export interface GatewayContext {
  config: GatewayConfig;
  keys: RedisKeys;
  submissions: SubmissionStore;
  results: ResultCache;
  pubsub: RedisPubSub;
  logger: Logger;
  /** HTTP requests only: the digits of `value` this request may still carry (see value-budget.ts). */
  valueBudget?: ValueBudget;
}
