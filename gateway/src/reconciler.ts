import type { Redis } from 'ioredis';
import type { RedisKeys } from '@fibgraph/core';
import type { ResultCache } from './data/results.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';

export interface ReconcilerOptions {
  intervalMs: number;
  /** Most jobs enqueued per pass, so a wiped Redis is refilled gradually, not flooded. */
  batch: number;
}

/**
 * Postgres is the source of truth for what was asked; Redis may lose everything (a restart
 * without persistence). After a full pass this gateway leaves a `reconciled` marker in Redis;
 * every interval it checks that one key, and only when it is gone (Redis was wiped or replaced)
 * walks the distinct submitted indexes and re-enqueues those without a result entry.
 * A lock keeps several gateways from doing the same walk at once.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly submissions: SubmissionStore,
    private readonly results: ResultCache,
    private readonly options: ReconcilerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.running ??= this.runOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'reconciliation failed; will retry'))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One check, and a pass when needed. Returns how many jobs it enqueued. */
  async runOnce(): Promise<number> {
    if ((await this.redis.exists(this.keys.reconciled)) === 1) return 0;
    const lockMs = Math.max(this.options.intervalMs * 4, 60_000);
    if ((await this.redis.set(this.keys.reconcileLock, String(process.pid), 'PX', lockMs, 'NX')) !== 'OK') return 0;
    try {
      const enqueued = await this.pass();
      // Only a pass that reached the end may mark Redis as whole; a capped pass resumes next tick.
      if (enqueued < this.options.batch) await this.redis.set(this.keys.reconciled, new Date().toISOString());
      if (enqueued > 0) this.logger.info({ enqueued }, 're-enqueued submissions missing from Redis');
      return enqueued;
    } finally {
      await this.redis.del(this.keys.reconcileLock);
    }
  }

  private async pass(): Promise<number> {
    let enqueued = 0;
    let after = -1;
    for (;;) {
      const page = await this.submissions.indexesAfter(after, 500);
      if (page.length === 0) return enqueued;
      const present = await this.results.have(page.map((seen) => seen.index));
      for (const [i, seen] of page.entries()) {
        if (present[i]) continue;
        const { enqueued: queued } = await this.results.submit(seen.index, seen.lastSubmittedAt.getTime());
        if (queued && ++enqueued >= this.options.batch) return enqueued;
      }
      after = page.at(-1)!.index;
    }
  }
}
