import { GraphQLError } from 'graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { CalculationStore } from '../data/calculations.js';
import type { Logger } from '../logger.js';
import { assertIndex } from '../arguments.js';
import type { CalculationModel } from '../models.js';
import { publishSubmitted } from '../pubsub.js';

export const Mutation: MutationResolvers = {
  submitValue: async (
    _parent,
    { index },
    { config, submissions, calculations, logger, pubsub, keys, submitLimiter, client },
  ) => {
    assertIndex(index, config.maxIndex);
    // Before anything is written: a refused submission leaves no trace. Both checks at once, so a
    // Redis that does not answer costs one wait, not two.
    const [limit, admission] = await Promise.allSettled([
      submitLimiter.take(client),
      admit(calculations, index, client, logger),
    ]);
    const reserved = admission.status === 'fulfilled' && admission.value === 'reserved';
    const release = () => (reserved ? calculations.release(index, client).catch(() => undefined) : undefined);
    if (limit.status === 'rejected') {
      await release();
      throw limit.reason;
    }
    if (admission.status === 'rejected') throw admission.reason;
    // Postgres first: once the row exists the submission survives anything Redis goes through.
    const submission = await submissions.add(index).catch(async (err: unknown) => {
      await release();
      throw err;
    });
    try {
      // Redis did not answer the caps just now: the reconciler enqueues once it does.
      if (admission.value === 'redis away') return pending(index);
      const { enqueued, summary } = await calculations.submit(
        index,
        submission.submittedAt.getTime(),
        client,
        reserved,
      );
      logger.debug({ index, enqueued }, 'submission accepted');
      // Read in the same script as the enqueue; were it wiped meanwhile, PENDING is still true.
      return summary ?? pending(index);
    } catch (err) {
      // Stored but not queued: the reconciler enqueues it when Redis answers again.
      logger.warn({ err, index }, 'submission stored; enqueue deferred to the reconciler');
      return pending(index);
    } finally {
      // After the enqueue, so subscribers that read the calculation's state see at least PENDING.
      publishSubmitted(pubsub, keys, submission, logger);
    }
  },
};

/**
 * The caps on outstanding jobs: 'reserved' (a place for the job), 'free' (no job needed), or
 * 'redis away' (they cannot be read now; the submission is kept for the reconciler).
 */
async function admit(
  calculations: CalculationStore,
  index: number,
  client: string,
  logger: Logger,
): Promise<'reserved' | 'free' | 'redis away'> {
  try {
    return (await calculations.admit(index, client)) ? 'reserved' : 'free';
  } catch (err) {
    if (!(err instanceof GraphQLError) || err.extensions.code !== 'SERVICE_UNAVAILABLE') throw err;
    logger.warn({ err, index }, 'could not check the job caps; the submission is kept for the reconciler');
    return 'redis away';
  }
}

function pending(index: number): CalculationModel {
  return { index, status: 'PENDING', digits: null, preview: null, computeMs: null, updatedAt: null, error: null };
}
