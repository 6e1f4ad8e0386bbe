import type { ValueCalculatedEvent } from '@fibgraph/core';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import type { CalculationModel } from '../models.js';

export const Subscription: SubscriptionResolvers = {
  valueCalculated: {
    // Events come from whichever worker computed the value, through Redis pub/sub, to every gateway.
    subscribe: (_parent, _args, { pubsub, keys }) =>
      pubsub.asyncIterableIterator<ValueCalculatedEvent>(keys.valueCalculated),
    resolve: (event: ValueCalculatedEvent): CalculationModel => ({ ...event }),
  },
};
