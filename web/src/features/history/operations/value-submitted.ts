import { graphql } from '../../../gql';

/**
 * Submissions from every tab and client, as each gateway stores them, with the state of their
 * index: "Indexes I have seen" lists them, "Calculated values" moves their index to the top.
 * `after` is the newest submission the page has: those stored since come first (see the schema).
 */
export const ValueSubmittedSubscription = graphql(`
  subscription ValueSubmitted($after: ID) {
    valueSubmitted(after: $after) {
      id
      ...SubmissionItem
      calculation {
        index
        ...CalculationItem
      }
    }
  }
`);
