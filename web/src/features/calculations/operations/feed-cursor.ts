import { graphql } from '../../../gql';

/** The feed of results' newest position, read before the list: results after it come through the feed. */
export const FeedCursorQuery = graphql(`
  query FeedCursor {
    feedCursor
  }
`);
