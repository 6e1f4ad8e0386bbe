import { graphql } from '../../../gql';

/** The newest results (Redis), most recently submitted first; live events extend the same cached list. */
export const CalculationsQuery = graphql(`
  query Calculations($limit: Int!) {
    calculations(limit: $limit) {
      index
      ...CalculationItem
    }
  }
`);
