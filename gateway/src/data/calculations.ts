import { GraphQLError } from 'graphql';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import {
  CalculationRecords,
  decodeValue,
  type Admission,
  type CalculationStatus,
  type RedisClient,
  type RedisKeys,
  type ValueCalculatedEvent,
} from '@fibgraph/core';
import type { Logger } from '../logger.js';
import type { CalculationModel } from '../models.js';
import { fromRedis } from './unavailable.js';

export interface CalculationStoreOptions {
  /** Per-client and global caps on outstanding jobs. */
  admission: Admission;
  /** How long a request waits for a released value to be computed again before answering without it. */
  recomputeWaitMs: number;
}

/**
 * The gateway's side of the calculations in Redis (core/calculations.ts). Every method fails with
 * SERVICE_UNAVAILABLE when Redis does not answer in time (see unavailable.ts).
 */
export class CalculationStore {
  private readonly records: CalculationRecords;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly pubsub: RedisPubSub,
    private readonly options: CalculationStoreOptions,
    private readonly logger: Logger,
  ) {
    this.records = new CalculationRecords(redis, keys);
  }

  /**
   * Refuses, before anything is stored, a submission that would add a job beyond the caps; true
   * when a place was reserved for its job (to be given back should the submission not be stored).
   */
  async admit(index: number, client: string): Promise<boolean> {
    const verdict = await fromRedis(this.records.admit(index, client, this.options.admission));
    if (verdict === 'RATE_LIMITED') {
      const { perClient } = this.options.admission;
      throw new GraphQLError(
        `You already have ${perClient} calculations waiting, the most one client may have: try again once one is done`,
        { extensions: { code: 'RATE_LIMITED', retryAfter: 5 } },
      );
    }
    if (verdict === 'BUSY') {
      throw new GraphQLError('The queue of calculations is full: try again in a minute', {
        extensions: { code: 'BUSY', retryAfter: 60 },
      });
    }
    return verdict === 'RESERVED';
  }

  release(index: number, client: string): Promise<void> {
    return fromRedis(this.records.release(index, client));
  }

  /**
   * Records a submission of `index` at `atMs` by `client`; enqueues a job unless it is done or
   * queued. With the calculation as it is right after (null only if it vanished meanwhile).
   */
  submit(
    index: number,
    atMs: number,
    client?: string,
    reserved = false,
  ): Promise<{ status: CalculationStatus; enqueued: boolean; summary: CalculationModel | null }> {
    return fromRedis(this.records.enqueueAndSummarise(index, { mode: 'submit', listScore: atMs, client, reserved }));
  }

  get(index: number): Promise<CalculationModel | null> {
    return fromRedis(this.records.summary(index));
  }

  /**
   * The digits of F(index), which is DONE. A value the cache released is computed again: the
   * request waits for it up to `recomputeWaitMs`, and past that the answer says so (RECOMPUTING)
   * and the value comes as a valueCalculated event, as for any PENDING calculation.
   */
  async value(index: number): Promise<string> {
    const held = await fromRedis(this.records.readValue(index));
    if (held) return decodeValue(held);
    const computed = await this.recompute(index);
    const again = computed ? await fromRedis(this.records.readValue(index)) : null;
    if (again) return decodeValue(again);
    throw new GraphQLError(
      `F(${index}) is being computed again (the cache had released it); it arrives as a valueCalculated event`,
      { extensions: { code: 'RECOMPUTING', index } },
    );
  }

  /** Enqueues F(index) again and waits for its event; true when it came in time. */
  private async recompute(index: number): Promise<boolean> {
    let heard: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (heard = resolve));
    // Listening before enqueueing: the event cannot come before the listener.
    const subscription = await fromRedis(
      this.pubsub.subscribe(this.keys.valueCalculated, (event: ValueCalculatedEvent) => {
        if (event.index === index) heard();
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      const { enqueued } = await fromRedis(this.records.enqueue(index, { mode: 'recompute' }));
      if (enqueued) this.logger.info({ index }, 'computing a released value again');
      const timeout = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(resolve, this.options.recomputeWaitMs, 'timeout')),
      );
      return (await Promise.race([done, timeout])) !== 'timeout';
    } finally {
      clearTimeout(timer);
      this.pubsub.unsubscribe(subscription);
    }
  }

  /** Entries most recently submitted first. */
  async newest(limit: number): Promise<CalculationModel[]> {
    const indexes = await fromRedis(this.redis.zrevrange(this.keys.calculations, 0, limit - 1));
    return fromRedis(this.records.summaries(indexes.map(Number)));
  }

  /** The next `limit` entries after `index` in `newest` order; undefined when `index` is not listed. */
  async olderThan(index: number, limit: number): Promise<CalculationModel[] | undefined> {
    const indexes = await fromRedis(this.records.listedAfter(index, limit));
    return indexes ? fromRedis(this.records.summaries(indexes.map(Number))) : undefined;
  }

  /** Which of `indexes` have a calculation at all (PENDING counts: its job is queued). */
  async have(indexes: number[]): Promise<boolean[]> {
    if (indexes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const index of indexes) pipeline.exists(this.keys.calculation(index));
    const replies = (await fromRedis(pipeline.exec())) ?? [];
    return replies.map(([err, n]) => !err && n === 1);
  }

  /** Gives every PENDING calculation whose job vanished (a trim, a partial restore) a job again; how many. */
  async healPending(): Promise<number> {
    const indexes = (await fromRedis(this.redis.smembers(this.keys.pending))).map(Number);
    let healed = 0;
    for (const index of indexes) {
      if ((await fromRedis(this.records.enqueue(index, { mode: 'heal' }))).enqueued) healed += 1;
    }
    return healed;
  }

  async ping(): Promise<void> {
    await fromRedis(this.redis.ping());
  }
}
