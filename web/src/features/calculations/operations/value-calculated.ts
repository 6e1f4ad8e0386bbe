import { graphql } from '../../../gql';

/**
 * Every result as a worker finishes it. Deliberately without `value`: the gateway would read up
 * to 200 KB from Redis per event and per client; the digits are fetched on demand instead.
 */
export const ValueCalculatedSubscription = graphql(`
  subscription ValueCalculated {
    valueCalculated {
      index
      status
      digits
      preview
      ...CalculationItem
    }
  }
`);
