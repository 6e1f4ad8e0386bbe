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
 * own origin. Nothing is fetched again when the socket comes back: the lists' subscriptions resume
 * from where they were (lib/use-resumable-subscription.ts) and the server replays what was missed.
 */
export function createAppClient(endpoints = graphqlEndpoints()): AppClient {
  const connection = new ConnectionStore();
  const socket = createLiveSocket({ url: endpoints.wsUrl, store: connection });
  const cache = createCache();
  // Apollo runs no type policy's merge for a normalised entity, so the newest state of a
  // Calculation is kept by this link, before the cache writes a response (see its file).
  const link = freshCalculationsLink(cache).concat(
    ApolloLink.split(
      (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket.client),
      new HttpLink({ uri: endpoints.httpUrl }),
    ),
  );
  const client: ApolloClient = new ApolloClient({ link, cache });
  return {
    client,
    connection,
    dispose() {
      socket.dispose();
      client.stop();
    },
  };
}
