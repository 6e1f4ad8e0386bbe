import { ApolloClient, ApolloLink } from '@apollo/client';
import { MockLink } from '@apollo/client/testing';
import { render } from '@testing-library/react';
import { GraphQLError, OperationTypeNode } from 'graphql';
import type { ReactNode } from 'react';
import { Observable, type Subscriber } from 'rxjs';
import { createCache } from '../app/cache';
import { freshCalculationsLink } from '../app/fresh-calculations-link';
import { Providers } from '../app/providers';
import { ConnectionStore } from '../lib/connection-status';

/**
 * The network edge for subscriptions: the test decides when the server pushes an event.
 * Everything above the link (cache policies, hooks, components) is the real thing.
 */
export class SubscriptionServer {
  private readonly subscribers = new Map<string, Set<Subscriber<ApolloLink.Result>>>();
  private readonly lastVariables = new Map<string, Record<string, unknown>>();

  readonly link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((subscriber) => {
        const name = operation.operationName ?? '';
        this.lastVariables.set(name, operation.variables);
        const set = this.subscribers.get(name) ?? new Set();
        set.add(subscriber);
        this.subscribers.set(name, set);
        return () => set.delete(subscriber);
      }),
  );

  /** Pushes `data` to every client subscribed with the operation named `operationName`. */
  push(operationName: string, data: Record<string, unknown>): void {
    for (const subscriber of this.subscribers.get(operationName) ?? []) subscriber.next({ data });
  }

  /** Answers every such subscription with a GraphQL error of `code`, as the server does on a bad `after`. */
  fail(operationName: string, code: string): void {
    for (const subscriber of this.subscribers.get(operationName) ?? []) {
      subscriber.next({ errors: [new GraphQLError(code, { extensions: { code } })] });
      subscriber.complete();
    }
  }

  /** The variables of the latest subscription with the operation named `operationName`. */
  variables(operationName: string): Record<string, unknown> | undefined {
    return this.lastVariables.get(operationName);
  }

  subscribed(operationName: string): boolean {
    return (this.subscribers.get(operationName)?.size ?? 0) > 0;
  }
}

/** Renders `ui` inside the app's providers, with queries and mutations answered by `mocks`. */
export function renderWithApollo(ui: ReactNode, mocks: ReadonlyArray<MockLink.MockedResponse> = []) {
  const server = new SubscriptionServer();
  const cache = createCache();
  const link = freshCalculationsLink(cache).concat(
    ApolloLink.split(
      (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      server.link,
      new MockLink(mocks, { defaultOptions: { delay: 5 } }),
    ),
  );
  const client = new ApolloClient({ link, cache });
  const connection = new ConnectionStore();
  const view = render(<Providers appClient={{ client, connection, dispose: () => client.stop() }}>{ui}</Providers>);
  return { ...view, client, server, connection };
}
