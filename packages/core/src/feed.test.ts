import { beforeAll, describe, expect, it } from 'vitest';
import { parseCursor, CalculationFeed, type FeedCursor } from './feed.js';
import { REDIS_KINDS, redisRig } from './test/redis-rig.js';
import { encodeValue } from './value-codec.js';

// The feed's scripts (CURSOR_NOW, AFTER) against events published by the worker's COMMIT.
describe.each(REDIS_KINDS)('on a %s', (kind) => {
  const rig = redisRig(kind);
  let feed: CalculationFeed;
  beforeAll(() => {
    feed = new CalculationFeed(rig.redis, rig.keys);
  });

  /** Computes `index` as a worker would: its event goes to the feed. */
  async function publish(index: number): Promise<void> {
    await rig.records.enqueue(index, { mode: 'submit', listScore: 1 });
    const [job] = await rig.jobs.readNew(10);
    const digits = String(index);
    const value = { digits: digits.length, preview: digits, encoded: encodeValue(digits), computeMs: 0 };
    await rig.records.finish(index, job!, value, 1_000_000);
  }

  const cursor = async (): Promise<FeedCursor> => parseCursor(await feed.now())!;

  describe('CalculationFeed', () => {
    it('starts at <epoch>:0 and keeps its epoch as events are published', async () => {
      const start = await cursor();
      expect(start.n).toBe(0);
      await publish(1);
      await publish(2);
      expect(await cursor()).toEqual({ epoch: start.epoch, n: 2 });
    });

    it('replays the events after a cursor, oldest first, each with the cursor it was announced with', async () => {
      const announced = await rig.announcements();
      await publish(10);
      const after = await cursor();
      for (const index of [11, 12, 13]) await publish(index);

      const events = await feed.after(after);

      expect(events !== 'expired' && events.map((e) => e.index)).toEqual([11, 12, 13]);
      await expect.poll(() => announced.length).toBe(4);
      const live = announced.slice(1).map((m) => (JSON.parse(m) as { cursor: string }).cursor);
      expect(events !== 'expired' && events.map((e) => e.cursor)).toEqual(live);
    });

    it('replays nothing after the newest cursor', async () => {
      await publish(1);
      expect(await feed.after(await cursor())).toEqual([]);
    });

    it('says expired for a cursor of another epoch (Redis lost the feed) or one not reached yet', async () => {
      await publish(1);
      const now = await cursor();
      expect(await feed.after({ epoch: '1', n: 0 })).toBe('expired');
      expect(await feed.after({ epoch: now.epoch, n: now.n + 1 })).toBe('expired');
    });

    it('says expired once an event after the cursor is no longer kept', async () => {
      for (const index of [1, 2, 3]) await publish(index);
      const { epoch } = await cursor();
      await rig.redis.xtrim(rig.keys.feed, 'MAXLEN', 1); // what the cap does to the oldest events

      expect(await feed.after({ epoch, n: 1 })).toBe('expired');
      const kept = await feed.after({ epoch, n: 2 });
      expect(kept !== 'expired' && kept.map((e) => [e.index, e.cursor])).toEqual([[3, `${epoch}:3`]]);
    });
  });
});

describe('parseCursor', () => {
  it('reads <epoch>:<n> and refuses anything else', () => {
    expect(parseCursor('1764000000123456:42')).toEqual({ epoch: '1764000000123456', n: 42 });
    for (const text of ['', '42', '1:', ':1', '1:-1', '1:2:3', 'a:1', '1:1.5']) expect(parseCursor(text)).toBeNull();
  });
});
