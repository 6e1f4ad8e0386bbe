import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { assertIndex } from '../errors.js';

export const Mutation: MutationResolvers = {
  submitValue: async (_parent, { index }, { config, submissions, results, logger }) => {
    assertIndex(index, config.maxIndex);
    // Postgres first: once the row exists the submission survives anything Redis goes through.
    const submission = await submissions.add(index);
    const { enqueued } = await results.submit(index, submission.submittedAt.getTime());
    logger.debug({ index, enqueued }, 'submission accepted');
    const current = await results.get(index);
    // A worker may finish and a wipe may happen between the two calls; PENDING is still true.
    return (
      current ?? {
        index,
        status: 'PENDING',
        digits: null,
        preview: null,
        computeMs: null,
        updatedAt: null,
        error: null,
      }
    );
  },
};
