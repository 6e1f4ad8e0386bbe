import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createRedisClient, type RedisClient, type RedisKeys, type ValueSubmittedEvent } from '@fibgraph/core';
import type { Logger } from './logger.js';
import type { SubmissionModel } from './models.js';

/**
 * Subscriptions listen on their own Redis connection (a subscribed connection can run nothing
 * else), so an event published by any worker reaches the clients of every gateway. While Redis is
 * away nothing queues: a publish fails at once (its announcement is lost, the client catches up on
 * reconnect), and so does a subscription to a channel this gateway does not listen on yet
 * (SERVICE_UNAVAILABLE; the client subscribes again); one to a channel it listens on joins it.
 * Channels listened on are subscribed again by ioredis itself when it reconnects.
 */
export function createPubSub(redisUrl: string, timeoutMs: number, logger: Logger, cluster = false): RedisPubSub {
  // On a cluster, classic PUBLISH reaches the subscribers of every node.
  const options = { enableOfflineQueue: false, commandTimeout: timeoutMs, cluster };
  return new TurnTakingPubSub({
    publisher: createRedisClient(redisUrl, 'gateway-publisher', logger, { ...options, enableAutoPipelining: true }),
    subscriber: leavingQuietly(createRedisClient(redisUrl, 'gateway-subscriber', logger, options), logger),
  });
}

/**
 * UNSUBSCRIBE is sent without waiting for it (the last listener of a channel left). While Redis is
 * away it fails at once (no offline queue), and a failure nobody hears ends the process: a client
 * leaving during an outage would take the gateway down. Here it is caught and logged. Nothing is
 * lost: ioredis, reconnecting, subscribes again to the channels it still has, and a message of a
 * channel nobody listens on is dropped.
 */
function leavingQuietly(client: RedisClient, logger: Logger): RedisClient {
  const send = client.unsubscribe.bind(client) as (...channels: string[]) => Promise<unknown>;
  Object.assign(client, {
    unsubscribe: (...channels: string[]) =>
      send(...channels).catch((err: unknown) =>
        logger.warn({ err, channels }, 'could not leave a Redis channel; Redis is away'),
      ),
  });
  return client;
}

/** Messages handed to listeners in one turn of the event loop (see TurnTakingPubSub): about this many. */
const MESSAGES_PER_TURN = 1_024;

/** One subscription's listener, as TurnTakingPubSub holds it. */
interface Listener {
  deliver: (message: unknown) => void;
  /** How many messages its channel had heard when it joined: it gets only those after. */
  since: number;
  /** Unsubscribed: it gets nothing more. */
  gone: boolean;
}

/** A channel listened on: one Redis subscription for all its listeners. */
interface Channel {
  listeners: Set<Listener>;
  /** Messages heard on it so far. */
  heard: number;
  /** Settles once Redis has the subscription (or refused it). */
  subscribed: Promise<void>;
  /** The sweep its next messages join: made at the first message after a sweep of it began. */
  pending: Sweep | undefined;
}

/** Messages of one channel that came together, handed to each of its listeners in turn. */
interface Sweep {
  channel: Channel;
  /** The channel's count of messages heard before the first of these. */
  first: number;
  messages: unknown[];
  /** The channel's listeners when the sweep began; `next` is the first not served yet. */
  listeners: Listener[] | undefined;
  next: number;
}

/**
 * RedisPubSub that subscribes to each channel once, however many listen, and hands its messages
 * to the channel's listeners (one per subscription) in turns of the event loop, MESSAGES_PER_TURN
 * messages or so at a time, each listener with every message that came for it meanwhile, in the
 * order they came.
 *
 * RedisPubSub calls every listener of a message at once, in the I/O callback that read it. With
 * 10,000 subscriptions each event of a burst held that callback for 10,000 calls (and all they set
 * off), so the event loop's turns grew to seconds, and new connections, Redis and Postgres answers
 * waited that long (`npm run bench -- fanout`: submissions answered after up to 21 s, one refused
 * when its Postgres query timed out). graphql-ws, which closes a socket whose pong has not come 12 s
 * after its ping, closed hundreds whose pong sat unread (nginx logged them as resets).
 *
 * Here that callback only parses the message (once) and adds it to its channel's pending sweep.
 * Each turn (setImmediate: after the event loop has read what came in meanwhile) goes on with the
 * oldest sweep, listener after listener, until MESSAGES_PER_TURN messages were handed out: a
 * subscriber gets what piled up for it together, in one write to its socket, and a message costs
 * one call per listener, nothing more (RedisPubSub's own dispatch, which this replaces, looked up
 * each listener per message, and a mailbox per listener queued it again). A listener gets only
 * the messages that came after it joined, and none once it has left.
 */
class TurnTakingPubSub extends RedisPubSub {
  private readonly channels = new Map<string, Channel>();
  private readonly subscriptions = new Map<number, { trigger: string; listener: Listener }>();
  private lastId = 0;
  /** Sweeps begun or waiting, oldest first. */
  private sweeps: Sweep[] = [];
  private turnScheduled = false;

  constructor(options: { publisher: RedisClient; subscriber: RedisClient }) {
    super(options);
    // RedisPubSub's own listener finds none of these channels in its books and drops the message.
    this.getSubscriber().on('message', (trigger: string, message: string) => {
      const channel = this.channels.get(trigger);
      if (channel) this.heard(channel, parse(message));
    });
  }

  override subscribe<T>(trigger: string, onMessage: (message: T) => void): Promise<number> {
    let channel = this.channels.get(trigger);
    if (!channel) {
      const subscribed = this.getSubscriber()
        .subscribe(trigger)
        .then(() => undefined);
      const listening: Channel = { listeners: new Set(), heard: 0, subscribed, pending: undefined };
      // Redis refused it (it is away): the next subscriber of the channel asks again.
      listening.subscribed.catch(() => this.channels.get(trigger) === listening && this.channels.delete(trigger));
      this.channels.set(trigger, (channel = listening));
    }
    const listener: Listener = { deliver: onMessage as (message: unknown) => void, since: channel.heard, gone: false };
    channel.listeners.add(listener);
    const id = ++this.lastId;
    this.subscriptions.set(id, { trigger, listener });
    return channel.subscribed.then(
      () => id,
      (err: unknown) => {
        this.unsubscribe(id);
        throw err;
      },
    );
  }

  override unsubscribe(id: number): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw new Error(`There is no subscription of id "${id}"`);
    this.subscriptions.delete(id);
    const { trigger, listener } = subscription;
    listener.gone = true;
    const channel = this.channels.get(trigger);
    if (!channel?.listeners.delete(listener) || channel.listeners.size > 0) return;
    this.channels.delete(trigger);
    // After its SUBSCRIBE on the one connection, in order: a later subscriber's SUBSCRIBE comes after.
    void this.getSubscriber().unsubscribe(trigger);
  }

  private heard(channel: Channel, message: unknown): void {
    if (!channel.pending) {
      channel.pending = { channel, first: channel.heard, messages: [], listeners: undefined, next: 0 };
      this.sweeps.push(channel.pending);
      if (!this.turnScheduled) {
        this.turnScheduled = true;
        setImmediate(this.turn);
      }
    }
    channel.pending.messages.push(message);
    channel.heard += 1;
  }

  private readonly turn = () => {
    let budget = MESSAGES_PER_TURN;
    try {
      while (budget > 0 && this.sweeps.length > 0) {
        const sweep = this.sweeps[0]!;
        if (!sweep.listeners) {
          // Begun: the channel's messages from now on wait for the next sweep.
          if (sweep.channel.pending === sweep) sweep.channel.pending = undefined;
          sweep.listeners = [...sweep.channel.listeners];
        }
        const { listeners, messages, first } = sweep;
        while (budget > 0 && sweep.next < listeners.length) {
          const listener = listeners[sweep.next++]!;
          let i = Math.max(0, listener.since - first);
          budget -= messages.length - i;
          for (; i < messages.length && !listener.gone; i++) listener.deliver(messages[i]);
        }
        if (sweep.next >= listeners.length) this.sweeps.shift();
      }
    } finally {
      // Even after a listener threw (as it would have out of RedisPubSub), the others still get theirs.
      if (this.sweeps.length > 0) setImmediate(this.turn);
      else this.turnScheduled = false;
    }
  };
}

/** A message as RedisPubSub reads it: JSON, or the text itself when it is not. */
function parse(message: string): unknown {
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return message;
  }
}

/**
 * `compute`, remembered for each event: a published event is one object handed to every
 * subscription of the gateway (parsed once: TurnTakingPubSub), and what 10,000 of them each work out
 * of it (a cursor to compare with theirs) is then worked out once.
 */
export function oncePerEvent<E extends object, R>(compute: (event: E) => R): (event: E) => R {
  const results = new WeakMap<E, R>();
  return (event) => {
    // Not an object (a message that was not JSON): worked out each time; its check fails anyway.
    if (typeof event !== 'object' || event === null) return compute(event);
    if (results.has(event)) return results.get(event)!;
    const result = compute(event);
    results.set(event, result);
    return result;
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

/** Where a subscription's events go when taken by `[LISTEN]` rather than by iterating. */
export interface EventSink<E> {
  /** Each event, in order, as it comes (in the pub/sub's turn; see TurnTakingPubSub). */
  event(event: E): void;
  /** No more events: the subscription ended, with `error` when it failed. */
  end(error?: unknown): void;
}

/** The method of LiveEvents that hands its events to a sink instead of an iterator (see websocket.ts). */
export const LISTEN = Symbol('listen');

/** The events of `channel` as they are published, for one subscription (replayThenLive without a replay). */
export function liveEvents<E>(pubsub: RedisPubSub, channel: string, logger: Logger): LiveEvents<E> {
  return new LiveEvents<E>(pubsub, channel, undefined, logger);
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
): LiveEvents<E> {
  return new LiveEvents<E>(pubsub, channel, replay, logger);
}

type Taker<E> = { resolve: (result: IteratorResult<E>) => void; reject: (error: unknown) => void };
const DONE = { value: undefined, done: true } as const;

/**
 * One subscription's events (see replayThenLive), listened for on the channel from the first
 * `next()` or `[LISTEN]` until it ends. An async iterator, as graphql's `subscribe` needs; and,
 * through `[LISTEN]`, a source that calls a sink for each event as the pub/sub hands it over. The
 * socket's delivery takes that way (websocket.ts): with 10,000 subscribers an event is 10,000
 * deliveries, and a promise and an iterator step for each (as a Repeater made them) took a
 * quarter of the gateway's time in a burst (`npm run bench -- fanout`, its CPU profile).
 */
export class LiveEvents<E> implements AsyncIterableIterator<E> {
  /** Events not taken yet (while nothing waits for them and no sink listens). */
  private queue: E[] = [];
  private takers: Taker<E>[] = [];
  private sink: EventSink<E> | undefined;
  private started = false;
  /** Set once the events end: with the error they failed with, until it is thrown once. */
  private ending: { error?: unknown; told: boolean } | undefined;
  private subscription: Promise<number | undefined> | undefined;

  constructor(
    private readonly pubsub: RedisPubSub,
    private readonly channel: string,
    private readonly replay: Replay<E> | undefined,
    private readonly logger: Logger,
  ) {}

  next(): Promise<IteratorResult<E>> {
    this.start();
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ending) return this.ended();
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** Ends the events (the client completed, or its socket closed) and stops listening on the channel. */
  return(): Promise<IteratorResult<E>> {
    this.queue = [];
    this.finish();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<IteratorResult<E>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** Hands every event, from those waiting on, to `sink` as it comes, instead of to `next()`. */
  [LISTEN](sink: EventSink<E>): void {
    this.sink = sink;
    const waiting = this.queue;
    this.queue = [];
    for (const event of waiting) sink.event(event);
    if (this.ending) sink.end(this.ending.error);
    this.start();
  }

  private emit(event: E): void {
    if (this.ending) return;
    if (this.sink) this.sink.event(event);
    else if (this.takers.length > 0) this.takers.shift()!.resolve({ value: event, done: false });
    else this.queue.push(event);
  }

  private finish(error?: unknown): void {
    if (this.ending) return;
    this.ending = { error, told: error === undefined };
    void this.subscription?.then((id) => id !== undefined && this.pubsub.unsubscribe(id));
    if (this.sink) return this.sink.end(error);
    for (const taker of this.takers.splice(0)) void this.ended().then(taker.resolve, taker.reject);
  }

  /** What `next()` gives once the events ended: their error, once, then done. */
  private ended(): Promise<IteratorResult<E>> {
    const ending = this.ending!;
    if (ending.told) return Promise.resolve(DONE);
    ending.told = true;
    return Promise.reject(ending.error);
  }

  private start(): void {
    if (this.started || this.ending) return;
    this.started = true;
    // An event that breaks a check (a malformed message on the channel) ends this subscription only.
    this.run().catch((err: unknown) => this.finish(err));
  }

  private async run(): Promise<void> {
    const replay = this.replay;
    let held: E[] | undefined = replay ? [] : undefined;
    let replayed = new Set<string>();
    const live = (event: E) => {
      if (!replay || (!replayed.has(replay.keyOf(event)) && !replay.seen?.(event))) this.emit(event);
    };
    const listener = (event: E) => {
      try {
        if (held) held.push(event);
        else live(event);
      } catch (err) {
        this.finish(err);
      }
    };
    this.subscription = this.pubsub.subscribe(this.channel, listener).catch((err: unknown) => {
      this.finish(err);
      return undefined;
    });
    if ((await this.subscription) === undefined || !replay || this.ending) return;
    let events: E[];
    try {
      events = await replay.read();
    } catch (err) {
      this.logger.warn({ err, channel: this.channel }, 'could not replay events for a new subscription; it ends');
      this.finish(err);
      return;
    }
    replayed = new Set(events.map(replay.keyOf));
    const waiting = held!;
    held = undefined;
    for (const event of events) this.emit(event);
    for (const event of waiting) live(event);
  }
}
