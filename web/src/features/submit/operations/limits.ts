import { graphql } from '../../../gql';

/** The server's bounds, so the form refuses what the server would (MAX_INDEX is set there, by env). */
export const LimitsQuery = graphql(`
  query Limits {
    limits {
      maxIndex
    }
  }
`);
