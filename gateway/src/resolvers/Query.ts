import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { assertIndex, assertLimit } from '../errors.js';

export const Query: QueryResolvers = {
  values: (_parent, { limit }, { submissions, config }) => submissions.newest(assertLimit(limit, config.maxListLimit)),
  calculations: (_parent, { limit }, { results, config }) => results.newest(assertLimit(limit, config.maxListLimit)),
  calculation: (_parent, { index }, { results, config }) => {
    assertIndex(index, config.maxIndex);
    return results.get(index);
  },
  limits: (_parent, _args, { config }) => ({ maxIndex: config.maxIndex, maxListLimit: config.maxListLimit }),
};
