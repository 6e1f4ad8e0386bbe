import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createRedisClient, type RedisKeys, type ValueSubmittedEvent } from '@fibgraph/core';
import type { Logger } from './logger.js';
import type { SubmissionModel } from './models.js';

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

/**
 * Tells the clients of every gateway about a stored submission (valueSubmitted). Not awaited: the
 * submission is safe in Postgres already, and a missed announcement only delays other tabs until
 * their next refetch, whereas waiting on a Redis that is away would hold the mutation.
 */
export function publishSubmitted(pubsub: RedisPubSub, keys: RedisKeys, submission: SubmissionModel, logger: Logger) {
  const event: ValueSubmittedEvent = {
    id: submission.id.toString(),
    index: submission.index,
    submittedAt: submission.submittedAt.getTime(),
  };
  pubsub
    .publish(keys.valueSubmitted, event)
    .catch((err: unknown) => logger.warn({ err, index: submission.index }, 'could not announce a submission'));
}
