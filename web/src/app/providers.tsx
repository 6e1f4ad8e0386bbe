import { ApolloProvider } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { AnnouncerProvider } from '../components/announcer';
import { ConnectionContext } from '../lib/connection-status';
import type { AppClient } from './apollo-client';

/** Everything the features rely on: the GraphQL client, the connection state, the live region. */
export function Providers({ appClient, children }: { appClient: AppClient; children: ReactNode }) {
  return (
    <ApolloProvider client={appClient.client}>
      <ConnectionContext.Provider value={appClient.connection}>
        <AnnouncerProvider>{children}</AnnouncerProvider>
      </ConnectionContext.Provider>
    </ApolloProvider>
  );
}
