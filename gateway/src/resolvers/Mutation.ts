import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { assertIndex } from '../errors.js';
import type { CalculationModel } from '../models.js';
import { publishSubmitted } from '../pubsub.js';

export const Mutation: MutationResolvers = {
  submitValue: async (
    _parent,
    { index },
    { config, submissions, results, logger, pubsub, keys, submitLimiter, client },
  ) => {
    assertIndex(index, config.maxIndex);
    // Before anything is written: a refused submission leaves no trace.
    await submitLimiter.take(client);
    // Postgres first: once the row exists the submission survives anything Redis goes through.
    const submission = await submissions.add(index);
    try {
      const { enqueued } = await results.submit(index, submission.submittedAt.getTime());
      logger.debug({ index, enqueued }, 'submission accepted');
    } catch (err) {
      // Stored but not queued: the reconciler enqueues it when Redis answers again.
      logger.warn({ err, index }, 'submission stored; enqueue deferred to the reconciler');
      return pending(index);
    } finally {
      // After the enqueue, so subscribers that read the result's state see at least PENDING.
      publishSubmitted(pubsub, keys, submission, logger);
    }
    const current = await results.get(index).catch(() => null);
    // A worker may finish and a wipe may happen between the two calls; PENDING is still true.
    return current ?? pending(index);
  },
};

function pending(index: number): CalculationModel {
  return { index, status: 'PENDING', digits: null, preview: null, computeMs: null, updatedAt: null, error: null };
}
