import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createRedisClient } from '@fibgraph/core';
import type { Logger } from './logger.js';

/**
 * Subscriptions listen on their own Redis connection (a subscribed connection can run nothing
 * else), so a result published by any worker reaches the clients of every gateway.
 */
export function createPubSub(redisUrl: string, logger: Logger): RedisPubSub {
  return new RedisPubSub({
    publisher: createRedisClient(redisUrl, 'gateway-publisher', logger),
    subscriber: createRedisClient(redisUrl, 'gateway-subscriber', logger),
  });
}
