import type { Lane } from './lanes.js';

/**
 * Every Redis name the gateway and the worker share, each starting with the prefix, which keeps
 * deployments (and test runs) that share one Redis apart. Every script touches per-index keys and
 * global ones at once, so on a Redis Cluster the prefix holds a hash tag (`{fib}:`, env.ts) that
 * puts every key in one slot (docs/redis.md).
 */
export interface RedisKeys {
  /**
   * The prefix itself: COMMIT builds the names of the keys it finds as it goes (an evicted value's,
   * the finishing client's outstanding set), which start with it too, so they share the tag's slot.
   */
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
