import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { RedisKeys, ResultFeed } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { ResultCache } from './data/results.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';
import type { SubmitLimiter } from './submit-limiter.js';
import type { ValueBudget } from './value-budget.js';

/** What the gateway is made of, made once (app.ts) and shared by every operation. */
export interface GatewayServices {
  config: GatewayConfig;
  keys: RedisKeys;
  submissions: SubmissionStore;
  results: ResultCache;
  /** The feed of results, for resuming valueCalculated (core/feed.ts). */
  feed: ResultFeed;
  pubsub: RedisPubSub;
  submitLimiter: SubmitLimiter;
  logger: Logger;
}

/** What every resolver receives: the services, and what belongs to one operation of one client. */
export interface GatewayContext extends GatewayServices {
  /** The client's address, for per-client limits (client-address.ts). */
  client: string;
  /** The digits of `value` this operation's answers may still carry (value-budget.ts). */
  valueBudget: ValueBudget;
}
