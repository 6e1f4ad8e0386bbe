import { describe, expect, it } from 'vitest';
import { BATCH, LARGEST_FIRST_EVERY } from './job-stream.js';
import { WORKER_GROUP } from './keys.js';
import { REDIS_KINDS, redisRig } from './test/redis-rig.js';

// How a worker takes jobs from the lanes (JobStream.readNew), on a redis-server and on a Redis Cluster.
describe.each(REDIS_KINDS)('on a %s', (kind) => {
  const rig = redisRig(kind);
  const submit = (index: number) => rig.records.enqueue(index, { mode: 'submit', listScore: 1 });
  const indexes = (deliveries: Awaited<ReturnType<typeof rig.jobs.readNew>>) => deliveries.map((d) => d.job?.index);

  it("takes up to a lane's batch in one read, in the order submitted: small and medium jobs together, large ones alone", async () => {
    const small = Array.from({ length: BATCH.small + 1 }, (_, i) => 10 + i);
    const medium = Array.from({ length: BATCH.medium + 1 }, (_, i) => 20_000 + i);
    const large = [300_000, 300_001];
    for (const index of [...large, ...medium, ...small]) await submit(index);
    expect(indexes(await rig.jobs.readNew(10))).toEqual(small.slice(0, BATCH.small));
    expect(indexes(await rig.jobs.readNew(10))).toEqual(small.slice(BATCH.small));
    expect(indexes(await rig.jobs.readNew(10))).toEqual(medium.slice(0, BATCH.medium));
    // Every LARGEST_FIRST_EVERY-th read looks at the largest lane first: the 4th here (the order below assumes it).
    expect(LARGEST_FIRST_EVERY).toBe(4);
    expect(indexes(await rig.jobs.readNew(10))).toEqual([300_000]);
    expect(indexes(await rig.jobs.readNew(10))).toEqual(medium.slice(BATCH.medium));
    expect(indexes(await rig.jobs.readNew(10))).toEqual([300_001]);
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
