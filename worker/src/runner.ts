import type { AliveFile } from './alive-file.js';
import type { Calculator } from './calculator.js';
import type { WorkerConfig } from './config.js';
import type { Delivery, JobStream, Logger, CalculationRecords } from '@fibgraph/core';

/** Longest wait for a new job before looking for stale ones again. */
const MAX_BLOCK_MS = 2_000;

/**
 * The worker's loop: take over stale jobs first, else wait for new ones; one large job at a time
 * per process (the maths is CPU-bound; scale with more processes), small and medium ones in batches
 * (BATCH in job-stream.ts), run together. A calculation that is not quick (calculator.ts) runs on
 * a thread, so heartbeats keep flowing and a shutdown is never stuck behind a huge index.
 *
 * Every answer from Redis that shows the loop turning (XAUTOCLAIM, XREADGROUP, a heartbeat) is
 * stamped into the health file: at least every MAX_BLOCK_MS while waiting, every claimIdleMs / 3
 * while computing.
 */
export class JobRunner {
  private stopping = false;
  /** Jobs taken and not yet finished: handed back on shutdown. */
  private readonly unfinished = new Set<Delivery>();
  private loop: Promise<void> | undefined;
  /** When (performance.now()) to look for stale jobs next. */
  private nextStaleCheck = 0;

  constructor(
    private readonly config: WorkerConfig,
    private readonly stream: JobStream,
    private readonly records: CalculationRecords,
    private readonly calculator: Calculator,
    private readonly logger: Logger,
    private readonly alive: AliveFile,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    await this.stream.ensureGroup();
    while (!this.stopping) {
      try {
        let deliveries: Delivery[] = [];
        if (performance.now() >= this.nextStaleCheck) {
          const stale = await this.stream.claimStale();
          this.alive.touch();
          if (stale) deliveries = [stale];
          // A stale job has been silent for claimIdleMs: between jobs, looking for one again a
          // tenth of that later (a second at most) is soon enough, and spares a round trip per lane per job.
          else this.nextStaleCheck = performance.now() + Math.min(1_000, this.config.claimIdleMs / 10);
        }
        if (deliveries.length === 0) {
          deliveries = await this.stream.readNew(Math.min(MAX_BLOCK_MS, this.config.claimIdleMs));
          this.alive.touch();
          // Idle: look for stale jobs at once.
          if (deliveries.length === 0) this.nextStaleCheck = 0;
        }
        if (this.stopping) {
          // Taken while the shutdown began: handed back at once, as the jobs in progress are.
          await Promise.all(deliveries.map((delivery) => this.stream.release(delivery)));
          break;
        }
        const failed = (await Promise.allSettled(deliveries.map((delivery) => this.handle(delivery)))).find(
          (outcome) => outcome.status === 'rejected',
        );
        if (failed) throw failed.reason;
      } catch (err) {
        if (this.stopping) break;
        this.logger.warn({ err }, 'job loop error; retrying in 1s');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private async handle(delivery: Delivery): Promise<void> {
    this.unfinished.add(delivery);
    try {
      await this.calculateJob(delivery);
    } finally {
      this.unfinished.delete(delivery);
    }
  }

  private async calculateJob(delivery: Delivery): Promise<void> {
    const { id, job } = delivery;
    if (!job) {
      this.logger.warn({ id }, 'dropping a stream entry that is not a job');
      return this.stream.ack(delivery);
    }
    const { index } = job;
    // Idempotent: a job delivered twice, or a value computed meanwhile elsewhere, is just
    // acknowledged. A DONE calculation whose value the cache released is computed again.
    const attempt = await this.records.begin(index, this.config.maxIndex);
    // The shutdown began meanwhile: it hands this job back (it is among the unfinished); computing
    // it now would start the calculation thread again and hold the shutdown for as long.
    if (this.stopping) return;
    if (attempt === 'done') return this.stream.ack(delivery);
    if (attempt === 'too large') {
      await this.fail(index, delivery, `index is above this worker's MAX_INDEX (${this.config.maxIndex})`);
      return;
    }
    if (attempt > this.config.maxAttempts) {
      await this.fail(index, delivery, `gave up after ${this.config.maxAttempts} attempts`);
      this.logger.error({ index, attempt }, 'job failed too often');
      return;
    }

    const heartbeat = setInterval(
      () => {
        this.stream.heartbeat(delivery).then(
          () => this.alive.touch(),
          (err: unknown) => this.logger.warn({ err, index }, 'heartbeat failed'),
        );
      },
      Math.max(100, Math.floor(this.config.claimIdleMs / 3)),
    );
    try {
      const computed = await this.calculator.compute(index);
      if (this.stopping) return;
      // On its way to Redis, whose COMMIT acknowledges it: a shutdown from now on does not hand it back.
      this.unfinished.delete(delivery);
      const { event, released } = await this.records.finish(index, delivery, computed, this.config.valueCacheBytes);
      this.logger.info(
        { index, digits: event.digits, computeMs: event.computeMs, attempt, lane: delivery.lane },
        'value calculated',
      );
      // The value cache keeps to VALUE_CACHE_MB: the least recently used values made room.
      if (released > 0) this.logger.info({ index, released }, 'released values from the cache');
    } finally {
      clearInterval(heartbeat);
    }
  }

  private fail(index: number, delivery: Delivery, error: string) {
    return this.records.finish(index, delivery, { error }, this.config.valueCacheBytes);
  }

  /** Stops taking jobs; the jobs in progress are cancelled and handed back for another worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    const unfinished = [...this.unfinished];
    if (unfinished.length > 0) {
      await this.calculator.cancel();
      await Promise.all(unfinished.map((delivery) => this.stream.release(delivery).catch(() => undefined)));
      for (const { job } of unfinished) this.logger.info({ index: job?.index }, 'handed an unfinished job back');
    }
    await this.loop?.catch(() => undefined);
  }
}
