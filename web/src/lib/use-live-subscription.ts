import type { ApolloClient, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

/** How long to wait before subscribing again after the socket gave up (ms). */
const RESUBSCRIBE_MS = 5_000;

export interface LiveSubscriptionOptions<TVariables> {
  variables?: TVariables;
  /** Not subscribed (yet) while true. */
  skip?: boolean;
}

/**
 * A subscription whose events only update the cache (`onEvent`), kept alive for the page's
 * lifetime: the socket retries for ever, and should it still give up (a fatal close code) the
 * subscription is started again, so a live page never silently stops being live.
 */
export function useLiveSubscription<TData, TVariables extends OperationVariables = Record<string, never>>(
  document: TypedDocumentNode<TData, TVariables>,
  onEvent: (data: TData, client: ApolloClient) => void,
  { variables, skip = false }: LiveSubscriptionOptions<TVariables> = {},
): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const [failed, setFailed] = useState(0);
  const { restart } = useSubscription(document as TypedDocumentNode<TData, OperationVariables>, {
    variables,
    skip,
    // Events write to the cache; rendering happens where the cached lists are read.
    ignoreResults: true,
    onData: ({ client, data }) => {
      if (data.data) handler.current(data.data as TData, client);
    },
    onError: () => setFailed((n) => n + 1),
  });
  useEffect(() => {
    if (failed === 0) return;
    const timer = setTimeout(restart, RESUBSCRIBE_MS);
    return () => clearTimeout(timer);
  }, [failed, restart]);
}
