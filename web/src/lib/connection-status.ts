import { createContext, useContext, useSyncExternalStore } from 'react';

/**
 * - `connecting`: first attempt, nothing to report yet.
 * - `live`: the subscription socket is up; results arrive as they are made.
 * - `reconnecting`: the socket dropped and is being re-opened.
 * - `offline`: the browser reports no network, or several attempts in a row failed;
 *   attempts go on in the background.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the socket was last up. */
  failures: number;
}

/** Consecutive failures after which "reconnecting" is reported as "offline". */
export const OFFLINE_AFTER_FAILURES = 3;

/**
 * A tiny external store, so the socket's event handlers (outside React) and the indicator (inside)
 * share one state without re-rendering the whole tree.
 */
export class ConnectionStore {
  private status: ConnectionStatus = { state: 'connecting', failures: 0 };
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ConnectionStatus => this.status;

  set(next: ConnectionStatus): void {
    if (next.state === this.status.state && next.failures === this.status.failures) return;
    this.status = next;
    for (const listener of this.listeners) listener();
  }
}

export const ConnectionContext = createContext<ConnectionStore | null>(null);

export function useConnectionStatus(): ConnectionStatus {
  const store = useContext(ConnectionContext);
  if (!store) throw new Error('useConnectionStatus needs a ConnectionContext provider');
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
