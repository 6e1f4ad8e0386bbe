import { graphql } from '../../../gql';

/**
 * Submissions from any tab: each moves its index to the top of the list (most recently submitted
 * first) with its current state, so another tab's pending calculation shows here too.
 */
export const SubmittedCalculationSubscription = graphql(`
  subscription SubmittedCalculation {
    valueSubmitted {
      id
      calculation {
        index
        ...CalculationItem
      }
    }
  }
`);
