import { jobFromFields, type CalculationJob } from './events.js';
import { WORKER_GROUP, type RedisKeys } from './keys.js';
import { LANES, type Lane } from './lanes.js';
import type { RedisClient } from './redis.js';

export interface Delivery {
  /** Stream entry id, needed to acknowledge. */
  id: string;
  lane: Lane;
  /** null when the entry does not describe a job (it is acknowledged and dropped). */
  job: CalculationJob | null;
}

type StreamEntry = [id: string, fields: string[]];
type ReadReply = [stream: string, entries: StreamEntry[]][] | null;

/**
 * Jobs taken in one read, per lane. A small job takes well under a millisecond to compute and a
 * medium one 0.1-1.7 ms, so a worker's cost per job is mostly its Redis round trips: the worker
 * (runner.ts) runs a batch together, and its starts, then its results, reach Redis in a few writes
 * (its connection pipelines), not one or two each. A batch of medium jobs is about 7 ms of work at
 * most; a large job (F(200,000) and up: 1.7 ms to seconds) is taken alone.
 */
export const BATCH: Readonly<Record<Lane, number>> = { small: 16, medium: 4, large: 1 };
/**
 * Every this many reads the largest lane is looked at first, so a flood of small jobs never starves
 * it: a large job waits behind (LARGEST_FIRST_EVERY - 1) batches at most.
 */
export const LARGEST_FIRST_EVERY = 4;

/**
 * The worker's side of the job lanes (the gateway's is ENQUEUE in calculations.ts): one Redis
 * stream per lane, read by the `workers` consumer group, smallest waiting job first. A job stays
 * in the group's pending list until acknowledged, so a worker that dies mid-job loses nothing:
 * after `claimIdleMs` of silence another worker takes it over with XAUTOCLAIM.
 */
export class JobStream {
  private picks = 0;

  constructor(
    private readonly commands: RedisClient,
    /** A connection of its own: XREADGROUP BLOCK holds it while waiting. */
    private readonly blocking: RedisClient,
    private readonly keys: RedisKeys,
    private readonly consumer: string,
    private readonly claimIdleMs: number,
  ) {}

  /** Creates the groups Redis does not have (first start, or Redis lost everything). */
  async ensureGroup(): Promise<void> {
    for (const lane of LANES) {
      try {
        // From id 0, not $: jobs enqueued before the group existed must be read too.
        await this.commands.xgroup('CREATE', this.keys.jobs(lane), WORKER_GROUP, '0', 'MKSTREAM');
      } catch (err) {
        if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
      }
    }
  }

  /** The order lanes are looked at for the next job: smallest first, the largest first now and then. */
  private order(): readonly Lane[] {
    this.picks += 1;
    return this.picks % LARGEST_FIRST_EVERY === 0 ? [...LANES].reverse() : LANES;
  }

  /** Takes over one job that a silent (probably dead) worker held too long, smallest lane first. */
  async claimStale(): Promise<Delivery | null> {
    for (const lane of LANES) {
      const reply = await this.withGroup(
        () =>
          this.commands.xautoclaim(
            this.keys.jobs(lane),
            WORKER_GROUP,
            this.consumer,
            this.claimIdleMs,
            '0-0',
            'COUNT',
            1,
          ) as Promise<[string, StreamEntry[]]>,
      );
      const entry = reply?.[1]?.[0];
      if (entry) return toDelivery(lane, entry);
    }
    return null;
  }

  /**
   * The next jobs no consumer has seen yet: from the first lane (in `order()`) that has any, up to
   * that lane's BATCH (taken in one read, their order kept); when no lane has one, waits up to
   * `blockMs` on all of them for one. Should several lanes answer that wait at once, the first in
   * order is kept and the others are handed back at once. Empty when the wait ended with nothing.
   */
  async readNew(blockMs: number): Promise<Delivery[]> {
    const order = this.order();
    for (const lane of order) {
      const reply = await this.read(this.commands, [lane], BATCH[lane]);
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length > 0) return entries.map((entry) => toDelivery(lane, entry));
    }
    const reply = await this.read(this.blocking, order, 1, blockMs);
    const found = order.flatMap((lane) => {
      const entry = reply?.find(([stream]) => stream === this.keys.jobs(lane))?.[1]?.[0];
      return entry ? [toDelivery(lane, entry)] : [];
    });
    for (const other of found.slice(1)) await this.release(other);
    return found.slice(0, 1);
  }

  private read(client: RedisClient, lanes: readonly Lane[], count: number, blockMs?: number): Promise<ReadReply> {
    const block = blockMs === undefined ? [] : ['BLOCK', blockMs];
    const streams = lanes.map((lane) => this.keys.jobs(lane));
    return this.withGroup(
      () =>
        client.xreadgroup(
          'GROUP',
          WORKER_GROUP,
          this.consumer,
          'COUNT',
          count,
          ...(block as ['BLOCK', number]),
          'STREAMS',
          ...streams,
          ...streams.map(() => '>'),
        ) as Promise<ReadReply>,
    );
  }

  /** Tells the group this worker is still on the job, so nobody claims it while it computes. */
  async heartbeat({ id, lane }: Delivery): Promise<void> {
    await this.commands.xclaim(this.keys.jobs(lane), WORKER_GROUP, this.consumer, 0, id, 'JUSTID');
  }

  /** Gives a job back: marked long idle, the next worker's XAUTOCLAIM takes it at once. */
  async release({ id, lane }: Delivery): Promise<void> {
    await this.commands.xclaim(
      this.keys.jobs(lane),
      WORKER_GROUP,
      this.consumer,
      0,
      id,
      'IDLE',
      this.claimIdleMs * 10,
      'JUSTID',
    );
  }

  /** Acknowledges and deletes an entry, so the lanes hold only unfinished jobs. */
  async ack({ id, lane }: Delivery): Promise<void> {
    await this.commands.multi().xack(this.keys.jobs(lane), WORKER_GROUP, id).xdel(this.keys.jobs(lane), id).exec();
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

function toDelivery(lane: Lane, [id, fields]: StreamEntry): Delivery {
  return { id, lane, job: jobFromFields(fields) };
}
