import { GraphQLError } from 'graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { ResultCache } from '../data/results.js';
import type { Logger } from '../logger.js';
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
    const reserved = await admit(results, index, client, logger);
    // Postgres first: once the row exists the submission survives anything Redis goes through.
    const submission = await submissions.add(index).catch(async (err: unknown) => {
      if (reserved) await results.release(index, client).catch(() => undefined);
      throw err;
    });
    try {
      const { enqueued } = await results.submit(index, submission.submittedAt.getTime(), client, reserved);
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

/** The caps on outstanding jobs; while Redis is away they cannot be read, and the submission is kept (see above). */
async function admit(results: ResultCache, index: number, client: string, logger: Logger): Promise<boolean> {
  try {
    return await results.admit(index, client);
  } catch (err) {
    if (!(err instanceof GraphQLError) || err.extensions.code !== 'SERVICE_UNAVAILABLE') throw err;
    logger.warn({ err, index }, 'could not check the job caps; the submission is kept for the reconciler');
    return false;
  }
}

function pending(index: number): CalculationModel {
  return { index, status: 'PENDING', digits: null, preview: null, computeMs: null, updatedAt: null, error: null };
}
