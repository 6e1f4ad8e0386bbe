import { randomUUID } from 'node:crypto';
import type { RedisClient, RedisKeys } from '@fibgraph/core';
import type { CalculationStore } from './data/calculations.js';
import type { SubmissionStore } from './data/submissions.js';
import type { Logger } from './logger.js';

export interface ReconcilerOptions {
  intervalMs: number;
  /** Most jobs enqueued per pass, so a wiped Redis is refilled gradually, not flooded. */
  batch: number;
  /** Delete submissions older than this many days, `batch` at most per pass; null: keep them. */
  retentionDays: number | null;
}

/** Submissions younger than this are checked again on the next pass (their insert may not be visible yet). */
const SETTLE_MS = 30_000;

/** The lock's life unless renewed (every third of it, while a pass runs): a dead owner holds it no longer. */
const LOCK_MS = 15_000;

/** Renews or releases the lock only while it is still the caller's. KEYS: lock. ARGV: token, ms (0: release). */
const OWN_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

/**
 * Postgres is the source of truth for what was asked; Redis may lose everything (a restart without
 * persistence), and an enqueue may fail after its row was stored (Redis away for a moment).
 * Each pass enqueues the submitted indexes that have no calculation, looking only at submissions
 * after the watermark (`reconciled`; lost with Redis, it starts from 0 and walks every index). It
 * also gives a job again to every PENDING calculation whose job vanished, and deletes submissions
 * past SUBMISSION_RETENTION_DAYS. A lock, owned by one gateway's token, keeps it to one gateway.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly submissions: SubmissionStore,
    private readonly calculations: CalculationStore,
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

  /** One pass. Returns how many jobs it enqueued. */
  async runOnce(): Promise<number> {
    const token = randomUUID();
    if ((await this.redis.set(this.keys.reconcileLock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return 0;
    const own = (ms: number) => this.redis.eval(OWN_LOCK_SCRIPT, 1, this.keys.reconcileLock, token, ms);
    const renewal = setInterval(() => void own(LOCK_MS).catch(() => undefined), LOCK_MS / 3);
    try {
      const marker = await this.redis.get(this.keys.reconciled);
      // Anything but an id (nothing, or what an older version wrote) means: walk everything.
      const since = marker && /^\d+$/.test(marker) ? BigInt(marker) : 0n;
      // Read before the pass: every submission up to it is covered once the pass completes.
      const settled = await this.submissions.lastIdOlderThan(SETTLE_MS);
      const enqueued = await this.pass(since);
      const healed = await this.calculations.healPending();
      if (healed > 0) this.logger.warn({ healed }, 're-enqueued PENDING calculations whose job had vanished');
      if (this.options.retentionDays !== null) {
        const deleted = await this.submissions.deleteOlderThan(this.options.retentionDays, this.options.batch);
        if (deleted > 0) this.logger.info({ deleted, days: this.options.retentionDays }, 'deleted old submissions');
      }
      // A pass cut short by the batch cap leaves the watermark, so the next one resumes.
      if (enqueued < this.options.batch && settled > since) {
        await this.redis.set(this.keys.reconciled, settled.toString());
      }
      if (enqueued > 0)
        this.logger.info({ enqueued, since: since.toString() }, 're-enqueued submissions missing from Redis');
      return enqueued;
    } finally {
      clearInterval(renewal);
      // Should Redis be away, the lock simply expires.
      await own(0).catch(() => undefined);
    }
  }

  private async pass(sinceId: bigint): Promise<number> {
    let enqueued = 0;
    let after = -1;
    for (;;) {
      const page = await this.submissions.indexesAfter(sinceId, after, 500);
      if (page.length === 0) return enqueued;
      const present = await this.calculations.have(page.map((submitted) => submitted.index));
      for (const [i, submitted] of page.entries()) {
        if (present[i]) continue;
        const { enqueued: queued } = await this.calculations.submit(
          submitted.index,
          submitted.lastSubmittedAt.getTime(),
        );
        if (queued && ++enqueued >= this.options.batch) return enqueued;
      }
      after = page.at(-1)!.index;
    }
  }
}
