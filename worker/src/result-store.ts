import type { Redis } from 'ioredis';
import { previewOf, WORKER_GROUP, type RedisKeys, type ValueCalculatedEvent } from '@fibgraph/core';
import type { Computed } from './compute.js';

/** Writes results and announces them. One MULTI: stored, listed, published, acknowledged together. */
export class ResultStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async isDone(index: number): Promise<boolean> {
    return (await this.redis.hget(this.keys.result(index), 'status')) === 'DONE';
  }

  /** Counts this delivery; returns how many times the job has been started. */
  startAttempt(index: number): Promise<number> {
    return this.redis.hincrby(this.keys.result(index), 'attempts', 1);
  }

  async saveDone(index: number, computed: Computed, jobId: string): Promise<ValueCalculatedEvent> {
    const event: ValueCalculatedEvent = {
      index,
      status: 'DONE',
      digits: computed.value.length,
      preview: previewOf(computed.value),
      computeMs: computed.computeMs,
      updatedAt: Date.now(),
      error: null,
    };
    await this.commit(event, jobId, ['value', computed.value]);
    return event;
  }

  async saveFailed(index: number, error: string, jobId: string): Promise<ValueCalculatedEvent> {
    const event: ValueCalculatedEvent = {
      index,
      status: 'FAILED',
      digits: null,
      preview: null,
      computeMs: null,
      updatedAt: Date.now(),
      error,
    };
    await this.commit(event, jobId, []);
    return event;
  }

  private async commit(event: ValueCalculatedEvent, jobId: string, extra: string[]): Promise<void> {
    const key = this.keys.result(event.index);
    const fields: string[] = ['status', event.status, 'updatedAt', String(event.updatedAt), ...extra];
    for (const name of ['digits', 'preview', 'computeMs', 'error'] as const) {
      if (event[name] !== null) fields.push(name, String(event[name]));
    }
    await this.redis
      .multi()
      .hset(key, ...fields)
      .zadd(this.keys.results, 'NX', event.updatedAt, event.index)
      .publish(this.keys.valueCalculated, JSON.stringify(event))
      .xack(this.keys.jobs, WORKER_GROUP, jobId)
      .xdel(this.keys.jobs, jobId)
      .exec();
  }
}
