import { Repeater } from '@repeaterjs/repeater';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createRedisClient, type RedisKeys, type ValueSubmittedEvent } from '@fibgraph/core';
import type { Logger } from './logger.js';
import type { SubmissionModel } from './models.js';

/**
 * Subscriptions listen on their own Redis connection (a subscribed connection can run nothing
 * else), so an event published by any worker reaches the clients of every gateway. While Redis is
 * away nothing queues: a publish fails at once (its announcement is lost, the client catches up on
 * reconnect), and so does a new subscription (SERVICE_UNAVAILABLE; the client subscribes again).
 * Subscriptions in place are renewed by ioredis itself when it reconnects.
 */
export function createPubSub(redisUrl: string, timeoutMs: number, logger: Logger, cluster = false): RedisPubSub {
  // On a cluster, classic PUBLISH reaches the subscribers of every node.
  const options = { enableOfflineQueue: false, commandTimeout: timeoutMs, cluster };
  return new RedisPubSub({
    publisher: createRedisClient(redisUrl, 'gateway-publisher', logger, { ...options, enableAutoPipelining: true }),
    subscriber: createRedisClient(redisUrl, 'gateway-subscriber', logger, options),
  });
}

export function submittedEvent(submission: SubmissionModel): ValueSubmittedEvent {
  return { id: submission.id.toString(), index: submission.index, submittedAt: submission.submittedAt.getTime() };
}

/**
 * Tells the clients of every gateway about a stored submission (valueSubmitted). Not awaited: the
 * submission is safe in Postgres already, and a missed announcement reaches other tabs when their
 * subscription next resumes (it replays from the page's start), whereas waiting on a Redis that is
 * away would hold the mutation.
 */
export function publishSubmitted(pubsub: RedisPubSub, keys: RedisKeys, submission: SubmissionModel, logger: Logger) {
  pubsub
    .publish(keys.valueSubmitted, submittedEvent(submission))
    .catch((err: unknown) => logger.warn({ err, index: submission.index }, 'could not announce a submission'));
}

export interface Replay<E> {
  /** Reads what was published before the subscription was in place (from the source of truth). */
  read: () => Promise<E[]>;
  /** What makes two events the same one, to drop the live copy of a replayed event. */
  keyOf: (event: E) => string;
  /**
   * Whether the client had `event` before it subscribed (at or before its cursor). On a Redis
   * Cluster an event reaches a subscriber on another node a moment after it was published, so one
   * published just before the subscription can still arrive live: it is dropped. Default: none is.
   */
  seen?: (event: E) => boolean;
}

/**
 * The events of `channel`, first `replay.read()`'s then live ones, without a gap: the Redis
 * subscription is in place before the read starts, so an event is in the read or arrives live.
 * An event can be both (published while the read ran, its live copy arriving during or after it):
 * live copies of replayed events are dropped. Live events that arrive during the read wait for it.
 * Should the read fail, the subscription ends with that error (the client subscribes again):
 * going on live only would leave a gap no one sees.
 */
export function replayThenLive<E>(
  pubsub: RedisPubSub,
  channel: string,
  replay: Replay<E>,
  logger: Logger,
): AsyncIterableIterator<E> {
  return new Repeater<E>(async (push, stop) => {
    let held: E[] | undefined = [];
    let replayed = new Set<string>();
    const live = (event: E) => {
      if (!replayed.has(replay.keyOf(event)) && !replay.seen?.(event)) void push(event);
    };
    const subscription = await pubsub.subscribe(channel, (event: E) => {
      if (held) held.push(event);
      else live(event);
    });
    try {
      let events: E[];
      try {
        events = await replay.read();
      } catch (err) {
        logger.warn({ err, channel }, 'could not replay events for a new subscription; it ends');
        stop(err);
        return;
      }
      replayed = new Set(events.map(replay.keyOf));
      for (const event of events) void push(event);
      for (const event of held) live(event);
      held = undefined;
      await stop;
    } finally {
      pubsub.unsubscribe(subscription);
    }
  });
}
