import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { RedisKeys, CalculationFeed } from '@fibgraph/core';
import type { GatewayConfig } from './config.js';
import type { CalculationStore } from './data/calculations.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';
import type { SubmitLimiter } from './submit-limiter.js';
import type { ValueBudget } from './value-budget.js';

/** What the gateway is made of, made once (app.ts) and shared by every operation. */
export interface GatewayServices {
  config: GatewayConfig;
  keys: RedisKeys;
  submissions: SubmissionStore;
  calculations: CalculationStore;
  /** The feed of valueCalculated events, for resuming that subscription (core/feed.ts). */
  feed: CalculationFeed;
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
