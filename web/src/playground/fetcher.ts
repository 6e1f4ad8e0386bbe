import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

/** The GraphQL endpoint on this origin: nginx strips `/api` and hands it to a gateway. */
export const GRAPHQL_PATH = '/api/graphql';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both to this page's own origin:
 * the Content-Security-Policy allows no other, and the page must work wherever it is deployed.
 * graphql-ws wants an absolute ws(s):// URL, so it is derived from where the page was loaded.
 */
export function createPlaygroundFetcher(location: Location = window.location): Fetcher {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createGraphiQLFetcher({
    url: GRAPHQL_PATH,
    subscriptionUrl: `${wsProtocol}//${location.host}${GRAPHQL_PATH}`,
  });
}
