import { graphql } from '../../../gql';

/** The newest results (Redis), most recently submitted first; live events extend the same cached list; `before` fetches the next page. */
export const CalculationsQuery = graphql(`
  query Calculations($limit: Int!, $before: Int) {
    calculations(limit: $limit, before: $before) {
      index
      ...CalculationItem
    }
  }
`);
