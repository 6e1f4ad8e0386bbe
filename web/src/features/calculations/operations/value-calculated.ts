import { graphql } from '../../../gql';

/**
 * Every result as a worker finishes it, after the feed position `after`, each with its own
 * position (`cursor`). Deliberately without `value`: the gateway would read up to 200 KB from Redis
 * per event and per client; the digits are fetched on demand instead.
 */
export const ValueCalculatedSubscription = graphql(`
  subscription ValueCalculated($after: ID) {
    valueCalculated(after: $after) {
      index
      status
      digits
      preview
      cursor
      ...CalculationItem
    }
  }
`);
