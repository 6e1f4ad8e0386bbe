import { graphql } from '../../../gql';

/** Every submission (Postgres), newest first, repeats included; `before` fetches the next page. */
export const ValuesQuery = graphql(`
  query Values($limit: Int!, $before: ID) {
    values(limit: $limit, before: $before) {
      id
      ...SubmissionItem
    }
  }
`);
