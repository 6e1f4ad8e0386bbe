import { graphql } from '../../../gql';

/** Submissions from every tab and client, as each gateway stores them. */
export const ValueSubmittedSubscription = graphql(`
  subscription ValueSubmitted {
    valueSubmitted {
      id
      ...SubmissionItem
    }
  }
`);
