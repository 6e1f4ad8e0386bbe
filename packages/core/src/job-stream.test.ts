import { describe, expect, it } from 'vitest';
import { SMALL_BATCH } from './job-stream.js';
import { WORKER_GROUP } from './keys.js';
import { REDIS_KINDS, redisRig } from './test/redis-rig.js';

// How a worker takes jobs from the lanes (JobStream.readNew), on a redis-server and on a Redis Cluster.
describe.each(REDIS_KINDS)('on a %s', (kind) => {
  const rig = redisRig(kind);
  const submit = (index: number) => rig.records.enqueue(index, { mode: 'submit', listScore: 1 });
  const indexes = (deliveries: Awaited<ReturnType<typeof rig.jobs.readNew>>) => deliveries.map((d) => d.job?.index);

  it('takes up to a batch of small jobs in one read, in the order they were submitted, and other lanes one at a time', async () => {
    const small = Array.from({ length: SMALL_BATCH + 1 }, (_, i) => 10 + i);
    for (const index of [300_000, ...small]) await submit(index);
    expect(indexes(await rig.jobs.readNew(10))).toEqual(small.slice(0, SMALL_BATCH));
    expect(indexes(await rig.jobs.readNew(10))).toEqual(small.slice(SMALL_BATCH));
    expect(indexes(await rig.jobs.readNew(10))).toEqual([300_000]);
    expect(await rig.jobs.readNew(10)).toEqual([]);
  });

  it('keeps every job of a batch pending until each is acknowledged, so a worker dying mid-batch loses none', async () => {
    for (const index of [20, 21, 22]) await submit(index);
    const batch = await rig.jobs.readNew(10);
    expect(indexes(batch)).toEqual([20, 21, 22]);
    await rig.jobs.ack(batch[0]!);
    const [pending] = (await rig.redis.xpending(rig.keys.jobs('small'), WORKER_GROUP)) as [number];
    expect(pending).toBe(2);
  });
});
