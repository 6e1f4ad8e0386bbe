import type { ValueCalculatedEvent, ValueSubmittedEvent } from '@fibgraph/core';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { assertSubmissionId } from '../errors.js';
import type { CalculationModel, SubmissionModel } from '../models.js';
import { replayThenLive, submittedEvent } from '../pubsub.js';

export const Subscription: SubscriptionResolvers = {
  valueCalculated: {
    // Events come from whichever worker computed the value, through Redis pub/sub, to every gateway.
    subscribe: (_parent, _args, { pubsub, keys }) =>
      pubsub.asyncIterableIterator<ValueCalculatedEvent>(keys.valueCalculated),
    resolve: (event: ValueCalculatedEvent): CalculationModel => ({ ...event }),
  },
  valueSubmitted: {
    // Published by whichever gateway stored the submission (see publishSubmitted). With `after`,
    // the submissions stored since that one come first, from Postgres (see replayThenLive).
    subscribe: (_parent, { after }, { pubsub, keys, submissions, config, logger }) => {
      if (after == null) return pubsub.asyncIterableIterator<ValueSubmittedEvent>(keys.valueSubmitted);
      const afterId = assertSubmissionId(after, 'after');
      const read = async () => (await submissions.after(afterId, config.maxListLimit)).map(submittedEvent);
      return replayThenLive(pubsub, keys.valueSubmitted, { read, keyOf: (event) => event.id }, logger);
    },
    resolve: (event: ValueSubmittedEvent): SubmissionModel => ({
      id: BigInt(event.id),
      index: event.index,
      submittedAt: new Date(event.submittedAt),
    }),
  },
};
