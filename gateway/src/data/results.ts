import type { Redis } from 'ioredis';
import { jobToFields, type CalculationStatus, type RedisKeys } from '@fibgraph/core';
import type { CalculationModel } from '../models.js';
import { fromRedis } from './unavailable.js';

/** Hash fields read for a list entry; `value` is left out on purpose (it can be 200 KB). */
const SUMMARY_FIELDS = ['status', 'digits', 'preview', 'computeMs', 'updatedAt', 'error'] as const;

/**
 * Atomically: keep a DONE result as it is (the seed overwrote cached values with a placeholder),
 * leave a PENDING one alone (its job is queued), otherwise mark PENDING and enqueue a job.
 * The list position moves to the newest submission time either way (ZADD GT also adds).
 * KEYS: result hash, results zset, jobs stream. ARGV: index, score (ms), ...job fields.
 * Returns the status after the call and whether a job was enqueued.
 */
const SUBMIT_SCRIPT = `
local status = redis.call('HGET', KEYS[1], 'status')
redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[1])
if status == 'DONE' or status == 'PENDING' then return {status, 0} end
redis.call('HSET', KEYS[1], 'status', 'PENDING', 'updatedAt', ARGV[2], 'attempts', 0)
redis.call('HDEL', KEYS[1], 'error')
redis.call('XADD', KEYS[3], '*', unpack(ARGV, 3))
return {'PENDING', 1}
`;

type SubmitReply = [CalculationStatus, 0 | 1];

/**
 * The `count` indexes after `index` in the results zset, most recently submitted first, read at
 * one instant; nil when `index` is not listed. KEYS: results zset. ARGV: index, count.
 */
const AFTER_SCRIPT = `
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then return false end
return redis.call('ZREVRANGE', KEYS[1], rank + 1, rank + tonumber(ARGV[2]))
`;

/**
 * Redis access for results: the cache the worker fills, and the job stream it reads. Every method
 * fails with SERVICE_UNAVAILABLE when Redis does not answer in time (see unavailable.ts).
 */
export class ResultCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('fibSubmit', { numberOfKeys: 3, lua: SUBMIT_SCRIPT });
    redis.defineCommand('fibListedAfter', { numberOfKeys: 1, lua: AFTER_SCRIPT });
  }

  /** Records a submission of `index` at `atMs`; enqueues a job unless it is done or queued. */
  async submit(index: number, atMs: number): Promise<{ status: CalculationStatus; enqueued: boolean }> {
    const run = (this.redis as unknown as { fibSubmit(...args: (string | number)[]): Promise<SubmitReply> }).fibSubmit;
    const [status, enqueued] = await fromRedis(
      run.call(
        this.redis,
        this.keys.result(index),
        this.keys.results,
        this.keys.jobs,
        index,
        atMs,
        ...jobToFields({ index, enqueuedAt: atMs }),
      ),
    );
    return { status, enqueued: enqueued === 1 };
  }

  async get(index: number): Promise<CalculationModel | null> {
    const fields = await fromRedis(this.redis.hmget(this.keys.result(index), ...SUMMARY_FIELDS));
    return toModel(index, fields);
  }

  async getValue(index: number): Promise<string | null> {
    return fromRedis(this.redis.hget(this.keys.result(index), 'value'));
  }

  /** Entries most recently submitted first. */
  async newest(limit: number): Promise<CalculationModel[]> {
    return this.summaries((await fromRedis(this.redis.zrevrange(this.keys.results, 0, limit - 1))).map(Number));
  }

  /** The next `limit` entries after `index` in `newest` order; undefined when `index` is not listed. */
  async olderThan(index: number, limit: number): Promise<CalculationModel[] | undefined> {
    const run = (this.redis as unknown as { fibListedAfter(...args: (string | number)[]): Promise<string[] | null> })
      .fibListedAfter;
    const indexes = await fromRedis(run.call(this.redis, this.keys.results, index, limit));
    return indexes ? this.summaries(indexes.map(Number)) : undefined;
  }

  private async summaries(indexes: number[]): Promise<CalculationModel[]> {
    const pipeline = this.redis.pipeline();
    for (const index of indexes) pipeline.hmget(this.keys.result(index), ...SUMMARY_FIELDS);
    const replies = (await fromRedis(pipeline.exec())) ?? [];
    return indexes.flatMap((index, i) => {
      const [err, fields] = replies[i] ?? [null, null];
      const model = err ? null : toModel(index, fields as (string | null)[]);
      return model ? [model] : [];
    });
  }

  /** Which of `indexes` have a result entry at all (PENDING counts: its job is queued). */
  async have(indexes: number[]): Promise<boolean[]> {
    if (indexes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const index of indexes) pipeline.exists(this.keys.result(index));
    const replies = (await fromRedis(pipeline.exec())) ?? [];
    return replies.map(([err, n]) => !err && n === 1);
  }

  async ping(): Promise<void> {
    await fromRedis(this.redis.ping());
  }
}

function toModel(index: number, fields: (string | null)[]): CalculationModel | null {
  const [status, digits, preview, computeMs, updatedAt, error] = fields;
  if (status !== 'PENDING' && status !== 'DONE' && status !== 'FAILED') return null;
  return {
    index,
    status,
    digits: numberOrNull(digits),
    preview: preview ?? null,
    computeMs: numberOrNull(computeMs),
    updatedAt: numberOrNull(updatedAt),
    error: error ?? null,
  };
}

function numberOrNull(text: string | null | undefined): number | null {
  return text == null || text === '' ? null : Number(text);
}
