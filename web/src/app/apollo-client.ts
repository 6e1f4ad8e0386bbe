import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { ConnectionStore } from '../lib/connection-status';
import { createCache } from './cache';
import { graphqlEndpoints } from './endpoints';
import { freshCalculationsLink } from './fresh-calculations-link';
import { createLiveSocket } from './live-socket';

export interface AppClient {
  client: ApolloClient;
  connection: ConnectionStore;
  dispose(): void;
}

/**
 * Queries and mutations over HTTP, subscriptions over one graphql-ws socket, both at the page's
 * own origin. Each time the socket is up, every active query is fetched again: results and
 * submissions published before the subscriptions were in place were not delivered, and must not
 * stay missing (a row would show "Calculating…" for ever).
 */
export function createAppClient(endpoints = graphqlEndpoints()): AppClient {
  const connection = new ConnectionStore();
  const socket = createLiveSocket({
    url: endpoints.wsUrl,
    store: connection,
    onConnected: () => void client.refetchQueries({ include: 'active' }),
  });
  const cache = createCache();
  const link = freshCalculationsLink(cache).concat(
    ApolloLink.split(
      (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket.client),
      new HttpLink({ uri: endpoints.httpUrl }),
    ),
  );
  // No deduplication: the refetch when the socket comes up must reach the server even while the
  // page's first queries are still in flight, or an event published in between stays missing.
  const client: ApolloClient = new ApolloClient({ link, cache, queryDeduplication: false });
  return {
    client,
    connection,
    dispose() {
      socket.dispose();
      client.stop();
    },
  };
}
