import { CombinedGraphQLErrors, type ApolloClient, type TypedDocumentNode } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useContext, useEffect, useRef, useState } from 'react';
import { ConnectionContext } from './connection-status';

/** How long to wait before subscribing again after the server ended the subscription (ms). */
const RESUBSCRIBE_MS = 5_000;

export interface ResumableOptions<TData> {
  /** Where to start: a position the page's list was read after; undefined: not subscribed yet. */
  from: string | undefined;
  positionOf: (data: TData) => string;
  /**
   * For a feed whose events arrive in order: whether position `a` comes after `b`. The subscription
   * is then renewed from the last event applied, and an event at or before it is skipped. Without
   * it, it is renewed from `from` and `onEvent` must be idempotent.
   */
  isAfter?: (a: string, b: string) => boolean;
  onEvent: (data: TData, client: ApolloClient) => void;
  /** CURSOR_EXPIRED: the server no longer reaches back there. Reload, then give a new `from`. */
  onExpired: () => void;
}

/**
 * A subscription with `after`, for the page's lifetime, that misses no event: the server replays
 * what came after `after`, then goes live. When the socket drops it is renewed at once with where
 * to resume (sent when the socket is back, on whichever gateway); should the server end it, it is
 * started again from there a little later.
 */
export function useResumableSubscription<TData>(
  document: TypedDocumentNode<TData, { after?: string | null }>,
  { from, positionOf, isAfter, onEvent, onExpired }: ResumableOptions<TData>,
): void {
  const latest = useRef({ onEvent, onExpired, positionOf, isAfter });
  useEffect(() => {
    latest.current = { onEvent, onExpired, positionOf, isAfter };
  });
  // Where to resume: the last event applied (an ordered feed), else the start.
  const applied = useRef<string | undefined>(from);
  const started = useRef(from);
  useEffect(() => {
    applied.current = started.current = from;
  }, [from]);
  // `after` follows `from` (adjusted while rendering, as React advises), and resumes after a drop.
  const [{ start, after }, setPosition] = useState({ start: from, after: from });
  if (from !== start) setPosition({ start: from, after: from });
  const resume = useRef(() =>
    setPosition((position) => ({ ...position, after: latest.current.isAfter ? applied.current : started.current })),
  );

  const connection = useContext(ConnectionContext);
  useEffect(() => {
    if (!connection) return;
    let wasLive = connection.getSnapshot().state === 'live';
    return connection.subscribe(() => {
      const live = connection.getSnapshot().state === 'live';
      if (wasLive && !live) resume.current();
      wasLive = live;
    });
  }, [connection]);

  const [failed, setFailed] = useState(0);
  const { restart } = useSubscription(document, {
    variables: { after },
    skip: after === undefined,
    // Events write to the cache; rendering happens where the cached lists are read.
    ignoreResults: true,
    onData: ({ client, data }) => {
      if (!data.data) return;
      const { positionOf, isAfter: later, onEvent: apply } = latest.current;
      const position = positionOf(data.data);
      // Replayed, and applied already (a renewal overlapped what was live).
      if (later && applied.current !== undefined && !later(position, applied.current)) return;
      apply(data.data, client);
      if (later) applied.current = position;
    },
    onError: (error) => {
      const expired =
        CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'CURSOR_EXPIRED');
      if (expired) latest.current.onExpired();
      else setFailed((n) => n + 1);
    },
  });
  useEffect(() => {
    if (failed === 0) return;
    const timer = setTimeout(() => {
      resume.current();
      restart();
    }, RESUBSCRIBE_MS);
    return () => clearTimeout(timer);
  }, [failed, restart]);
}
