import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { assertIndex, assertLimit, assertSubmissionId, badUserInput } from '../errors.js';

export const Query: QueryResolvers = {
  values: async (_parent, { limit, before }, { submissions, config }) => {
    const take = assertLimit(limit, config.maxListLimit);
    if (before == null) return submissions.newest(take);
    const older = await submissions.olderThan(assertSubmissionId(before, 'before'), take);
    if (!older) throw badUserInput(`before: there is no submission with id ${before}`);
    return older;
  },
  calculations: (_parent, { limit }, { results, config }) => results.newest(assertLimit(limit, config.maxListLimit)),
  calculation: (_parent, { index }, { results, config }) => {
    assertIndex(index, config.maxIndex);
    return results.get(index);
  },
  limits: (_parent, _args, { config }) => ({ maxIndex: config.maxIndex, maxListLimit: config.maxListLimit }),
};
