import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { fromRedis } from '../data/unavailable.js';
import { assertIndex, assertLimit, assertSubmissionId, badUserInput } from '../arguments.js';

export const Query: QueryResolvers = {
  values: async (_parent, { limit, before }, { submissions, config }) => {
    const take = assertLimit(limit, config.maxListLimit);
    if (before == null) return submissions.newest(take);
    const older = await submissions.olderThan(assertSubmissionId(before, 'before'), take);
    if (!older) throw badUserInput(`before: there is no submission with id ${before}`);
    return older;
  },
  calculations: async (_parent, { limit, before }, { calculations, config }) => {
    const take = assertLimit(limit, config.maxListLimit);
    if (before == null) return calculations.newest(take);
    assertIndex(before, config.maxIndex);
    const older = await calculations.olderThan(before, take);
    if (!older) throw badUserInput(`before: index ${before} is not in the list of calculations`);
    return older;
  },
  calculation: (_parent, { index }, { calculations, config }) => {
    assertIndex(index, config.maxIndex);
    return calculations.get(index);
  },
  limits: (_parent, _args, { config }) => ({ maxIndex: config.maxIndex, maxListLimit: config.maxListLimit }),
  feedCursor: (_parent, _args, { feed }) => fromRedis(feed.now()),
};
