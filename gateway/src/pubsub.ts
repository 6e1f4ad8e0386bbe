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
  return new TurnTakingPubSub({
    publisher: createRedisClient(redisUrl, 'gateway-publisher', logger, { ...options, enableAutoPipelining: true }),
    subscriber: createRedisClient(redisUrl, 'gateway-subscriber', logger, options),
  });
}

/** Messages handed to listeners in one turn of the event loop (see TurnTakingPubSub): about this many. */
const MESSAGES_PER_TURN = 1_024;

/** A listener's messages not yet handed to it. */
interface Mailbox {
  messages: unknown[];
  listener: (message: unknown) => void;
}

/**
 * RedisPubSub whose listeners are called in turns of the event loop, MESSAGES_PER_TURN messages or
 * so at a time, each listener with every message that waits for it, in the order they came.
 *
 * RedisPubSub calls every listener of a message at once, in the I/O callback that read it. With
 * 10,000 subscriptions each event of a burst held that callback for 10,000 calls (and all they set
 * off), so the event loop's turns grew to seconds, and new connections, Redis and Postgres answers
 * waited that long (`npm run bench -- fanout`: submissions answered after up to 21 s, one refused
 * when its Postgres query timed out). graphql-ws, which closes a socket whose pong has not come 12 s
 * after its ping, closed hundreds whose pong sat unread (nginx logged them as resets).
 *
 * Here that callback only puts the message in each listener's mailbox. Each turn (setImmediate:
 * after the event loop has read what came in meanwhile) empties the next mailboxes, up to
 * MESSAGES_PER_TURN messages (a mailbox is emptied whole), so a subscriber gets what piled up for
 * it together, in one write to its socket. A listener whose subscription ended meanwhile may still
 * get a message sent before its end (every listener here ignores it).
 */
class TurnTakingPubSub extends RedisPubSub {
  /** Mailboxes with messages, in the order they got their first. */
  private ready: Mailbox[] = [];
  private next = 0;
  private turnScheduled = false;

  override subscribe<T>(trigger: string, onMessage: (message: T) => void, options?: unknown): Promise<number> {
    const mailbox: Mailbox = { messages: [], listener: onMessage as (message: unknown) => void };
    return super.subscribe<T>(
      trigger,
      (message) => {
        if (mailbox.messages.push(message) === 1) this.ready.push(mailbox);
        if (!this.turnScheduled) {
          this.turnScheduled = true;
          setImmediate(this.turn);
        }
      },
      options,
    );
  }

  private readonly turn = () => {
    let budget = MESSAGES_PER_TURN;
    try {
      while (budget > 0 && this.next < this.ready.length) {
        const mailbox = this.ready[this.next++]!;
        const messages = mailbox.messages;
        mailbox.messages = [];
        budget -= messages.length;
        for (const message of messages) mailbox.listener(message);
      }
    } finally {
      // Even after a listener threw (as it would have out of RedisPubSub), the others still get theirs.
      if (this.next < this.ready.length) {
        if (this.next >= 4_096) {
          this.ready = this.ready.slice(this.next);
          this.next = 0;
        }
        setImmediate(this.turn);
      } else {
        this.ready = [];
        this.next = 0;
        this.turnScheduled = false;
      }
    }
  };
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
