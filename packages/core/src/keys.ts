import type { Lane } from './lanes.js';

/**
 * Every Redis name the gateway and the worker share. A prefix keeps deployments (and test runs)
 * that share one Redis apart. The scripts of calculations.ts touch several of these keys at once, so a
 * Redis Cluster would need them under one hash tag.
 */
export interface RedisKeys {
  /** The prefix itself: scripts build the names of keys they find as they go (an evicted value's). */
  prefix: string;
  /** Stream of calculation jobs of one lane, consumed by the `workers` group (the small lane keeps the old name). */
  jobs(lane: Lane): string;
  /** Sorted set of indexes with a calculation, scored by latest submission time (ms): the `calculations` list. */
  calculations: string;
  /** Hash per index (its calculation): status, digits, preview, computeMs, updatedAt, attempts, error, job, lane, client. */
  calculation(index: number): string;
  /** The deflated digits of F(index), while the value cache holds them. */
  value(index: number): string;
  /** Sorted set of indexes whose value is held, scored by last use (ms): the least recently used go first. */
  valuesByUse: string;
  /** Bytes the held values take in all, as Redis allocates them (MEMORY USAGE). */
  valueBytes: string;
  /** Set of indexes whose job is outstanding (PENDING), for the reconciler's check that each still has one. */
  pending: string;
  /** Sorted set per client: indexes it submitted whose job is outstanding, scored by enqueue time. */
  outstanding(client: string): string;
  /** Hash of counters: evictions, recomputations. */
  stats: string;
  /** Pub/sub channel of ValueCalculatedEvent JSON messages (with their cursors). */
  valueCalculated: string;
  /** Stream of the newest ValueCalculatedEvents, in the order they were published (capped; see feed.ts). */
  feed: string;
  /** Hash of the feed: `epoch` (set when this Redis first held it: a cursor of another is expired) and `seq` (events so far). */
  feedMeta: string;
  /** Pub/sub channel of ValueSubmittedEvent JSON messages (published by gateways). */
  valueSubmitted: string;
  /** The reconciler's watermark: the submission id up to which every submission has a calculation. */
  reconciled: string;
  /** Held by the one gateway that is reconciling. */
  reconcileLock: string;
  /** Prefixes of the per-client submission counters (rate-limiter-flexible appends `:<address>`). */
  submitRate: string;
  submitBurst: string;
}

export const WORKER_GROUP = 'workers';

export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    jobs: (lane) => (lane === 'small' ? `${prefix}jobs` : `${prefix}jobs:${lane}`),
    // The strings keep their first names (results, result:<index>): renaming them would orphan stored data.
    calculations: `${prefix}results`,
    calculation: (index) => `${prefix}result:${index}`,
    value: (index) => `${prefix}value:${index}`,
    valuesByUse: `${prefix}values:by-use`,
    valueBytes: `${prefix}values:bytes`,
    pending: `${prefix}pending`,
    outstanding: (client) => `${prefix}outstanding:${client}`,
    stats: `${prefix}stats`,
    valueCalculated: `${prefix}valueCalculated`,
    feed: `${prefix}feed`,
    feedMeta: `${prefix}feed:meta`,
    valueSubmitted: `${prefix}valueSubmitted`,
    reconciled: `${prefix}reconciled`,
    reconcileLock: `${prefix}reconcile:lock`,
    submitRate: `${prefix}rate:submit`,
    submitBurst: `${prefix}rate:submit-burst`,
  };
}
