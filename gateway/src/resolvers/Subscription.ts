import type { ValueCalculatedEvent, ValueSubmittedEvent } from '@fibgraph/core';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import type { CalculationModel, SubmissionModel } from '../models.js';

export const Subscription: SubscriptionResolvers = {
  valueCalculated: {
    // Events come from whichever worker computed the value, through Redis pub/sub, to every gateway.
    subscribe: (_parent, _args, { pubsub, keys }) =>
      pubsub.asyncIterableIterator<ValueCalculatedEvent>(keys.valueCalculated),
    resolve: (event: ValueCalculatedEvent): CalculationModel => ({ ...event }),
  },
  valueSubmitted: {
    // Published by whichever gateway stored the submission (see publishSubmitted).
    subscribe: (_parent, _args, { pubsub, keys }) =>
      pubsub.asyncIterableIterator<ValueSubmittedEvent>(keys.valueSubmitted),
    resolve: (event: ValueSubmittedEvent): SubmissionModel => ({
      id: BigInt(event.id),
      index: event.index,
      submittedAt: new Date(event.submittedAt),
    }),
  },
};
