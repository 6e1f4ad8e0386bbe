import type { Result } from 'ioredis';
import type { RedisClient } from './redis.js';
import type { CalculationStatus, ValueCalculatedEvent } from './events.js';
import type { Delivery } from './job-stream.js';
import { WORKER_GROUP, type RedisKeys } from './keys.js';
import { FEED_LENGTH, FEED_NEXT } from './feed.js';
import { LANES, laneOf, type Lane } from './lanes.js';

// The one owner of what gateway and worker keep in Redis about a calculation: the hash's fields,
// the value cache, the job lanes, and the scripts that change several of them at once.

/** A calculation as read for a list or an answer (never its value, which can be 100 kB). */
export interface CalculationSummary {
  index: number;
  status: CalculationStatus;
  digits: number | null;
  preview: string | null;
  computeMs: number | null;
  /** ms since the epoch */
  updatedAt: number | null;
  error: string | null;
}

/** The hash fields a summary is read from, in this order. */
export const SUMMARY_FIELDS = ['status', 'digits', 'preview', 'computeMs', 'updatedAt', 'error'] as const;

export function summaryOf(index: number, fields: (string | null)[]): CalculationSummary | null {
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

/** Whether the index's job is still in its lane (a PENDING calculation's job may have vanished: a trim, a restore). */
const JOB_QUEUED = `
local function jobQueued(calculationKey, laneKey)
  local job = redis.call('HGET', calculationKey, 'job')
  return job and #redis.call('XRANGE', laneKey, job, job) > 0
end
`;

/** Whether a calculation needs a job: not DONE, and no job of its own still in its lane. */
const NEEDS_JOB = `${JOB_QUEUED}
local function needsJob(calculationKey, laneKey)
  local status = redis.call('HGET', calculationKey, 'status')
  return status ~= 'DONE' and not (status == 'PENDING' and jobQueued(calculationKey, laneKey))
end
`;

/**
 * Whether `client`'s own job for the index is still in its lane. A client's place is one per
 * index, shared by its job and any duplicate submission of that index: a duplicate that adds no
 * job must not give back the place the job holds.
 */
const OWN_JOB_QUEUED = `${JOB_QUEUED}
local function ownJobQueued(calculationKey, laneKey, client)
  return redis.call('HGET', calculationKey, 'client') == client and jobQueued(calculationKey, laneKey)
end
`;

/**
 * Enqueues a job for an index unless it is DONE (with its value, when recomputing) or PENDING with
 * its job still in the lane; a PENDING calculation whose job vanished (a trim, a partial restore) gets
 * a new one. The list position moves to `listScore` (the submission's time) unless it is ''.
 * A client's job counts in its outstanding set (ADMIT reserved the place; given back when no job
 * was added after all, unless the client's own job holds it: a duplicate submission).
 * KEYS: calculation, calculations, lane, pending, value, outstanding(client), stats.
 * ARGV: index, now, listScore, lane, client ('' for none), mode (submit | recompute | heal),
 *       reserved (1 when ADMIT reserved a place), ...job fields.
 * Returns the status after the call, 1 when a job was added, then the summary's fields (SUMMARY_FIELDS)
 * as they are after the call: the answer to a submission needs no second read.
 */
const ENQUEUE = `${OWN_JOB_QUEUED}
local function answer(status, added)
  return {status, added, unpack(redis.call('HMGET', KEYS[1], ${SUMMARY_FIELDS.map((f) => `'${f}'`).join(', ')}))}
end
local function noJob(status)
  if ARGV[7] == '1' and not ownJobQueued(KEYS[1], KEYS[3], ARGV[5]) then
    redis.call('ZREM', KEYS[6], ARGV[1])
  end
  return answer(status, 0)
end
local status = redis.call('HGET', KEYS[1], 'status')
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[2], 'GT', ARGV[3], ARGV[1]) end
if status == 'DONE' and (ARGV[6] ~= 'recompute' or redis.call('EXISTS', KEYS[5]) == 1) then
  redis.call('SREM', KEYS[4], ARGV[1])
  return noJob('DONE')
end
if status == 'PENDING' and jobQueued(KEYS[1], KEYS[3]) then return noJob('PENDING') end
local id = redis.call('XADD', KEYS[3], '*', unpack(ARGV, 8))
redis.call('HSET', KEYS[1], 'status', 'PENDING', 'updatedAt', ARGV[2], 'attempts', 0, 'job', id, 'lane', ARGV[4])
redis.call('HDEL', KEYS[1], 'error', 'client')
redis.call('SADD', KEYS[4], ARGV[1])
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'client', ARGV[5])
  redis.call('ZADD', KEYS[6], ARGV[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[6], 600000)
end
if ARGV[6] == 'recompute' then redis.call('HINCRBY', KEYS[7], 'recomputations', 1) end
return answer('PENDING', 1)
`;

/**
 * Whether a client may submit an index now: always when no job would be added (OK); otherwise
 * while it has fewer than `perClient` jobs outstanding (in the last `window` ms) and all lanes
 * together hold fewer than `backlog` jobs, and then its place is reserved at once (RESERVED), so
 * that concurrent submissions of one client cannot all pass.
 * KEYS: calculation, lane, outstanding(client), the three lanes. ARGV: index, now, window, perClient, backlog.
 * Returns OK, RESERVED, RATE_LIMITED or BUSY.
 */
const ADMIT = `${NEEDS_JOB}
if not needsJob(KEYS[1], KEYS[2]) then return 'OK' end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 'RESERVED' end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then return 'RATE_LIMITED' end
local backlog = redis.call('XLEN', KEYS[4]) + redis.call('XLEN', KEYS[5]) + redis.call('XLEN', KEYS[6])
if backlog >= tonumber(ARGV[5]) then return 'BUSY' end
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 'RESERVED'
`;

/**
 * Stores a job's outcome, keeps the value cache within its budget (least recently used values
 * released first; the one just stored always stays), appends its event to the feed and publishes
 * it with its cursor, and acknowledges its job, all at once: what a reader sees never disagrees
 * with what was announced, and the feed's order is the order of publication. Values are counted as
 * Redis allocates them (MEMORY USAGE: the digits plus the allocator's rounding, about 12 % at 100 kB).
 * KEYS: calculation, value, valuesByUse, valueBytes, calculations, lane, pending, stats, feed, feedMeta.
 * ARGV: index, jobId, now, status, budget (bytes), channel, event JSON, value ('' if none),
 *       prefix, group, feed length, ...hash field pairs. Returns how many values it released.
 * The values it releases and the finishing client's outstanding set are known only inside the
 * script, so their names are built from the prefix here: on a Redis Cluster the prefix's hash tag
 * keeps them in the slot of the declared keys, which is all the cluster requires of a script.
 */
const COMMIT = `${FEED_NEXT}
local client = redis.call('HGET', KEYS[1], 'client')
redis.call('HSET', KEYS[1], unpack(ARGV, 12))
redis.call('HDEL', KEYS[1], 'job', 'lane', 'client', 'value')
local released = 0
if ARGV[4] == 'DONE' then
  local before = redis.call('MEMORY', 'USAGE', KEYS[2]) or 0
  redis.call('SET', KEYS[2], ARGV[8])
  redis.call('INCRBY', KEYS[4], redis.call('MEMORY', 'USAGE', KEYS[2]) - before)
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
  local budget = tonumber(ARGV[5])
  while tonumber(redis.call('GET', KEYS[4]) or '0') > budget do
    local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
    if not oldest or oldest == ARGV[1] then break end
    redis.call('ZREM', KEYS[3], oldest)
    local key = ARGV[9] .. 'value:' .. oldest
    redis.call('DECRBY', KEYS[4], redis.call('MEMORY', 'USAGE', key) or 0)
    redis.call('DEL', key)
    released = released + 1
  end
  if released > 0 then redis.call('HINCRBY', KEYS[8], 'evictions', released) end
end
redis.call('ZADD', KEYS[5], 'NX', ARGV[3], ARGV[1])
redis.call('SREM', KEYS[7], ARGV[1])
if client then redis.call('ZREM', ARGV[9] .. 'outstanding:' .. client, ARGV[1]) end
local cursor, entry = feedNext(KEYS[10])
redis.call('XADD', KEYS[9], 'MAXLEN', '~', ARGV[11], entry, 'event', ARGV[7])
redis.call('PUBLISH', ARGV[6], '{"cursor":"' .. cursor .. '",' .. string.sub(ARGV[7], 2))
redis.call('XACK', KEYS[6], ARGV[10], ARGV[2])
redis.call('XDEL', KEYS[6], ARGV[2])
return released
`;

/**
 * Gives back a client's place for an index, unless its own job holds it (see OWN_JOB_QUEUED).
 * A duplicate refused before the first submission's job is queued still frees the shared place
 * until that ENQUEUE puts it back: the client may briefly hold one job over its cap, never more.
 * KEYS: calculation, lane, outstanding(client). ARGV: index, client. Returns 1 when it gave it back.
 */
const RELEASE = `${OWN_JOB_QUEUED}
if ownJobQueued(KEYS[1], KEYS[2], ARGV[2]) then return 0 end
return redis.call('ZREM', KEYS[3], ARGV[1])
`;

/**
 * A job's start: nothing to do when its calculation is DONE with its value held (-1), refused
 * when its index is above the worker's `maxIndex` (0, and not counted), else counted as one more
 * attempt (the count). KEYS: calculation, value. ARGV: index, maxIndex.
 */
const BEGIN = `
if redis.call('HGET', KEYS[1], 'status') == 'DONE' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
return redis.call('HINCRBY', KEYS[1], 'attempts', 1)
`;

/** A held value, marked as just used. KEYS: value, valuesByUse. ARGV: index, now. */
const READ_VALUE = `
local value = redis.call('GET', KEYS[1])
if value then redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[1]) end
return value
`;

/**
 * The `count` indexes after `index` in the calculations list, most recently submitted first, read
 * at one instant; nil when `index` is not listed. KEYS: calculations. ARGV: index, count.
 */
const LISTED_AFTER = `
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then return false end
return redis.call('ZREVRANGE', KEYS[1], rank + 1, rank + tonumber(ARGV[2]))
`;

type Arg = string | number | Buffer;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fibEnqueue(...args: Arg[]): Result<[CalculationStatus, 0 | 1, ...(string | null)[]], Context>;
    fibAdmit(...args: Arg[]): Result<Verdict, Context>;
    fibRelease(...args: Arg[]): Result<number, Context>;
    fibCommit(...args: Arg[]): Result<number, Context>;
    fibBegin(...args: Arg[]): Result<number, Context>;
    fibReadValueBuffer(...args: Arg[]): Result<Buffer | null, Context>;
    fibListedAfter(...args: Arg[]): Result<string[] | null, Context>;
  }
}

export type EnqueueMode = 'submit' | 'recompute' | 'heal';

export interface EnqueueOptions {
  mode: EnqueueMode;
  /** The list position (the submission's time, ms); unchanged when absent. */
  listScore?: number;
  /** Whose job it is (its outstanding set); none for recomputes and heals. */
  client?: string;
  /** ADMIT reserved the client's place. */
  reserved?: boolean;
  now?: number;
}

/** ADMIT's answer: no job needed (OK), a place reserved for the job, or a refusal. */
export type Verdict = 'OK' | 'RESERVED' | 'RATE_LIMITED' | 'BUSY';

export interface Admission {
  /** Jobs a client may have outstanding at once. */
  perClient: number;
  /** Jobs all lanes may hold together. */
  backlog: number;
  /** How long an outstanding job counts against its client at most (ms). */
  windowMs: number;
}

/** A computed value as the worker's thread hands it over. */
export interface ComputedValue {
  /** Decimal digits of the value. */
  digits: number;
  /** Its first and last 20 digits (previewOf). */
  preview: string;
  /** The value as Redis keeps it (value-codec.ts). */
  encoded: Buffer;
  computeMs: number;
}

interface Commit {
  index: number;
  /** The job's entry, and the lane it was read from. */
  jobId: string;
  lane: Lane;
  status: 'DONE' | 'FAILED';
  /** The event to publish (JSON). */
  event: string;
  /** The encoded value (DONE only). */
  value?: Buffer;
  /** Hash fields to set. */
  fields: string[];
  budgetBytes: number;
}

/** The scripts above on one ioredis client, with typed calls. */
export class CalculationRecords {
  constructor(
    readonly redis: RedisClient,
    readonly keys: RedisKeys,
  ) {
    redis.defineCommand('fibEnqueue', { numberOfKeys: 7, lua: ENQUEUE });
    redis.defineCommand('fibAdmit', { numberOfKeys: 6, lua: ADMIT });
    redis.defineCommand('fibRelease', { numberOfKeys: 3, lua: RELEASE });
    redis.defineCommand('fibCommit', { numberOfKeys: 10, lua: COMMIT });
    redis.defineCommand('fibBegin', { numberOfKeys: 2, lua: BEGIN });
    redis.defineCommand('fibReadValue', { numberOfKeys: 2, lua: READ_VALUE });
    redis.defineCommand('fibListedAfter', { numberOfKeys: 1, lua: LISTED_AFTER });
  }

  /** Adds a job for `index` unless it needs none (see ENQUEUE). */
  async enqueue(index: number, opts: EnqueueOptions): Promise<{ status: CalculationStatus; enqueued: boolean }> {
    const { status, enqueued } = await this.enqueueAndSummarise(index, opts);
    return { status, enqueued };
  }

  /** `enqueue`, and the calculation's summary as it is right after (read in the same script). */
  async enqueueAndSummarise(
    index: number,
    opts: EnqueueOptions,
  ): Promise<{ status: CalculationStatus; enqueued: boolean; summary: CalculationSummary | null }> {
    const now = opts.now ?? Date.now();
    const lane = laneOf(index);
    const k = this.keys;
    const [status, enqueued, ...fields] = await this.redis.fibEnqueue(
      k.calculation(index),
      k.calculations,
      k.jobs(lane),
      k.pending,
      k.value(index),
      k.outstanding(opts.client ?? ''),
      k.stats,
      index,
      now,
      opts.listScore ?? '',
      lane,
      opts.client ?? '',
      opts.mode,
      opts.reserved ? 1 : 0,
      'index',
      index,
      'enqueuedAt',
      now,
    );
    return { status, enqueued: enqueued === 1, summary: summaryOf(index, fields) };
  }

  /** Whether `client` may submit `index` now (see ADMIT). */
  admit(index: number, client: string, limits: Admission): Promise<Verdict> {
    const k = this.keys;
    return this.redis.fibAdmit(
      k.calculation(index),
      k.jobs(laneOf(index)),
      k.outstanding(client),
      ...LANES.map((lane) => k.jobs(lane)),
      index,
      Date.now(),
      limits.windowMs,
      limits.perClient,
      limits.backlog,
    );
  }

  /**
   * A job's start, in one round trip (see BEGIN): 'done' when its calculation is DONE with its
   * value held (a released value is computed again), 'too large' above `maxIndex`, else how many
   * times it has been started, this time included.
   */
  async begin(index: number, maxIndex: number): Promise<'done' | 'too large' | number> {
    const reply = await this.redis.fibBegin(this.keys.calculation(index), this.keys.value(index), index, maxIndex);
    return reply === -1 ? 'done' : reply === 0 ? 'too large' : reply;
  }

  /**
   * A job's end: F(index) computed (`outcome` the value) or given up (`outcome` why), stored and
   * announced by COMMIT. Resolves with the event and how many older values the cache released.
   */
  async finish(
    index: number,
    job: Delivery,
    outcome: ComputedValue | { error: string },
    budgetBytes: number,
  ): Promise<{ event: ValueCalculatedEvent; released: number }> {
    const done = 'encoded' in outcome;
    const event: ValueCalculatedEvent = {
      index,
      status: done ? 'DONE' : 'FAILED',
      digits: done ? outcome.digits : null,
      preview: done ? outcome.preview : null,
      computeMs: done ? outcome.computeMs : null,
      updatedAt: Date.now(),
      error: done ? null : outcome.error,
    };
    const fields: string[] = ['status', event.status, 'updatedAt', String(event.updatedAt)];
    for (const name of ['digits', 'preview', 'computeMs', 'error'] as const) {
      if (event[name] !== null) fields.push(name, String(event[name]));
    }
    const released = await this.commit({
      index,
      jobId: job.id,
      lane: job.lane,
      status: event.status,
      event: JSON.stringify(event),
      value: done ? outcome.encoded : undefined,
      fields,
      budgetBytes,
    });
    return { event, released };
  }

  /** Gives back a place ADMIT reserved, for a submission that was not stored after all. */
  async release(index: number, client: string): Promise<void> {
    const k = this.keys;
    await this.redis.fibRelease(k.calculation(index), k.jobs(laneOf(index)), k.outstanding(client), index, client);
  }

  private commit(c: Commit): Promise<number> {
    const k = this.keys;
    return this.redis.fibCommit(
      k.calculation(c.index),
      k.value(c.index),
      k.valuesByUse,
      k.valueBytes,
      k.calculations,
      k.jobs(c.lane),
      k.pending,
      k.stats,
      k.feed,
      k.feedMeta,
      c.index,
      c.jobId,
      Date.now(),
      c.status,
      c.budgetBytes,
      k.valueCalculated,
      c.event,
      c.value ?? '',
      k.prefix,
      WORKER_GROUP,
      FEED_LENGTH,
      ...c.fields,
    );
  }

  /** The held (encoded) value of `index`, marked as used; null when it is not held. */
  readValue(index: number): Promise<Buffer | null> {
    return this.redis.fibReadValueBuffer(this.keys.value(index), this.keys.valuesByUse, index, Date.now());
  }

  async summaries(indexes: number[]): Promise<CalculationSummary[]> {
    if (indexes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const index of indexes) pipeline.hmget(this.keys.calculation(index), ...SUMMARY_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return indexes.flatMap((index, i) => {
      const [err, fields] = replies[i] ?? [null, null];
      if (err) throw err;
      const summary = summaryOf(index, fields as (string | null)[]);
      return summary ? [summary] : [];
    });
  }

  async summary(index: number): Promise<CalculationSummary | null> {
    return summaryOf(index, await this.redis.hmget(this.keys.calculation(index), ...SUMMARY_FIELDS));
  }

  listedAfter(index: number, count: number): Promise<string[] | null> {
    return this.redis.fibListedAfter(this.keys.calculations, index, count);
  }

  /** Counters for benches and logs. */
  async stats(): Promise<{ evictions: number; recomputations: number; valueBytes: number; valuesHeld: number }> {
    const [counters, bytes, held] = await Promise.all([
      this.redis.hmget(this.keys.stats, 'evictions', 'recomputations'),
      this.redis.get(this.keys.valueBytes),
      this.redis.zcard(this.keys.valuesByUse),
    ]);
    return {
      evictions: Number(counters[0] ?? 0),
      recomputations: Number(counters[1] ?? 0),
      valueBytes: Number(bytes ?? 0),
      valuesHeld: held,
    };
  }
}
