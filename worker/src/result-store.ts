import type { Redis } from 'ioredis';
import { ResultRecords, type RedisKeys, type ValueCalculatedEvent } from '@fibgraph/core';
import type { Delivery } from './job-stream.js';
import type { Computed } from './compute.js';

/**
 * Writes results and announces them, through the shared result records (core/results.ts): stored,
 * listed, value cache kept within its budget, published and acknowledged in one script.
 */
export class ResultStore {
  private readonly records: ResultRecords;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** Bytes the value cache may hold in all (VALUE_CACHE_MB). */
    private readonly budgetBytes: number,
  ) {
    this.records = new ResultRecords(redis, keys);
  }

  /** DONE with its value held: a job for it has nothing left to do. */
  async hasValue(index: number): Promise<boolean> {
    const [status, held] = await Promise.all([
      this.redis.hget(this.keys.result(index), 'status'),
      this.redis.exists(this.keys.value(index)),
    ]);
    return status === 'DONE' && held === 1;
  }

  /** Counts this delivery; returns how many times the job has been started. */
  startAttempt(index: number): Promise<number> {
    return this.redis.hincrby(this.keys.result(index), 'attempts', 1);
  }

  /** Stores F(index); resolves with the event published and how many older values were released. */
  async saveDone(
    index: number,
    computed: Computed,
    job: Delivery,
  ): Promise<{ event: ValueCalculatedEvent; released: number }> {
    const event: ValueCalculatedEvent = {
      index,
      status: 'DONE',
      digits: computed.digits,
      preview: computed.preview,
      computeMs: computed.computeMs,
      updatedAt: Date.now(),
      error: null,
    };
    const released = await this.commit(event, job, computed.encoded);
    return { event, released };
  }

  async saveFailed(index: number, error: string, job: Delivery): Promise<ValueCalculatedEvent> {
    const event: ValueCalculatedEvent = {
      index,
      status: 'FAILED',
      digits: null,
      preview: null,
      computeMs: null,
      updatedAt: Date.now(),
      error,
    };
    await this.commit(event, job);
    return event;
  }

  private commit(event: ValueCalculatedEvent, job: Delivery, value?: Buffer): Promise<number> {
    const fields: string[] = ['status', event.status, 'updatedAt', String(event.updatedAt)];
    for (const name of ['digits', 'preview', 'computeMs', 'error'] as const) {
      if (event[name] !== null) fields.push(name, String(event[name]));
    }
    return this.records.commit({
      index: event.index,
      jobId: job.id,
      lane: job.lane,
      status: event.status,
      event: JSON.stringify(event),
      value,
      fields,
      budgetBytes: this.budgetBytes,
    });
  }
}
