import { graphql } from '../../../gql';

/** Every submission (Postgres), newest first, repeats included. */
export const ValuesQuery = graphql(`
  query Values($limit: Int!) {
    values(limit: $limit) {
      id
      ...SubmissionItem
    }
  }
`);
