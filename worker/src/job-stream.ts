import type { Redis } from 'ioredis';
import { jobFromFields, WORKER_GROUP, type CalculationJob, type RedisKeys } from '@fibgraph/core';

export interface Delivery {
  /** Stream entry id, needed to acknowledge. */
  id: string;
  /** null when the entry does not describe a job (it is acknowledged and dropped). */
  job: CalculationJob | null;
}

type StreamEntry = [id: string, fields: string[]];

/**
 * The durable job queue: a Redis stream read by the `workers` consumer group. A job stays in the
 * group's pending list until acknowledged, so a worker that dies mid-job loses nothing: after
 * `claimIdleMs` of silence another worker takes it over with XAUTOCLAIM.
 */
export class JobStream {
  constructor(
    private readonly commands: Redis,
    /** A connection of its own: XREADGROUP BLOCK holds it while waiting. */
    private readonly blocking: Redis,
    private readonly keys: RedisKeys,
    private readonly consumer: string,
    private readonly claimIdleMs: number,
  ) {}

  /** Creates the group if Redis has none (first start, or Redis lost everything). */
  async ensureGroup(): Promise<void> {
    try {
      // From id 0, not $: jobs enqueued before the group existed must be read too.
      await this.commands.xgroup('CREATE', this.keys.jobs, WORKER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
    }
  }

  /** Takes over one job that a silent (probably dead) worker held too long. */
  async claimStale(): Promise<Delivery | null> {
    const reply = await this.withGroup(
      () =>
        this.commands.xautoclaim(
          this.keys.jobs,
          WORKER_GROUP,
          this.consumer,
          this.claimIdleMs,
          '0-0',
          'COUNT',
          1,
        ) as Promise<[string, StreamEntry[]]>,
    );
    const entry = reply?.[1]?.[0];
    return entry ? toDelivery(entry) : null;
  }

  /** Waits up to `blockMs` for a job no consumer has seen yet. */
  async readNew(blockMs: number): Promise<Delivery | null> {
    const reply = await this.withGroup(
      () =>
        this.blocking.xreadgroup(
          'GROUP',
          WORKER_GROUP,
          this.consumer,
          'COUNT',
          1,
          'BLOCK',
          blockMs,
          'STREAMS',
          this.keys.jobs,
          '>',
        ) as Promise<[string, StreamEntry[]][] | null>,
    );
    const entry = reply?.[0]?.[1]?.[0];
    return entry ? toDelivery(entry) : null;
  }

  /** Tells the group this worker is still on the job, so nobody claims it while it computes. */
  async heartbeat(id: string): Promise<void> {
    await this.commands.xclaim(this.keys.jobs, WORKER_GROUP, this.consumer, 0, id, 'JUSTID');
  }

  /** Gives a job back on shutdown: marked long idle, the next worker's XAUTOCLAIM takes it at once. */
  async release(id: string): Promise<void> {
    await this.commands.xclaim(
      this.keys.jobs,
      WORKER_GROUP,
      this.consumer,
      0,
      id,
      'IDLE',
      this.claimIdleMs * 10,
      'JUSTID',
    );
  }

  /** Acknowledges and deletes an entry, so the stream holds only unfinished jobs. */
  async ack(id: string): Promise<void> {
    await this.commands.multi().xack(this.keys.jobs, WORKER_GROUP, id).xdel(this.keys.jobs, id).exec();
  }

  private async withGroup<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOGROUP'))) throw err;
      await this.ensureGroup();
      return null;
    }
  }
}

function toDelivery([id, fields]: StreamEntry): Delivery {
  return { id, job: jobFromFields(fields) };
}
