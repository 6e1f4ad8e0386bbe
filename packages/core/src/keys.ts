/**
 * Every Redis name the gateway and the worker share. A prefix keeps deployments (and test runs)
 * that share one Redis apart. All keys of one deployment live in one slot-free keyspace:
 * the enqueue script touches several of them at once, so a Redis Cluster would need hash tags.
 */
export interface RedisKeys {
  /** Stream of calculation jobs, consumed by the `workers` group. */
  jobs: string;
  /** Sorted set of indexes with a result entry, scored by latest submission time (ms). */
  results: string;
  /** Hash per index: status, digits, preview, value, computeMs, updatedAt, attempts, error. */
  result(index: number): string;
  /** Pub/sub channel of ValueCalculatedEvent JSON messages. */
  valueCalculated: string;
  /** Pub/sub channel of ValueSubmittedEvent JSON messages (published by gateways). */
  valueSubmitted: string;
  /** Present while Redis still holds what the last full reconciliation put there. */
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
    jobs: `${prefix}jobs`,
    results: `${prefix}results`,
    result: (index) => `${prefix}result:${index}`,
    valueCalculated: `${prefix}valueCalculated`,
    valueSubmitted: `${prefix}valueSubmitted`,
    reconciled: `${prefix}reconciled`,
    reconcileLock: `${prefix}reconcile:lock`,
    submitRate: `${prefix}rate:submit`,
    submitBurst: `${prefix}rate:submit-burst`,
  };
}
