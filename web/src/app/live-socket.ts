import { createClient, type Client } from 'graphql-ws';
import { OFFLINE_AFTER_FAILURES, type ConnectionState, type ConnectionStore } from '../lib/connection-status';

export interface LiveSocketOptions {
  /** ws:// or wss:// URL of the GraphQL endpoint. */
  url: string;
  store: ConnectionStore;
  /** The WebSocket class; tests pass a fake. Default: the browser's. */
  webSocketImpl?: unknown;
  /** How often to check the socket is really alive (ms). Default: 15 000. */
  keepAliveMs?: number;
}

/** Longest wait between two attempts (ms). */
const MAX_RETRY_DELAY_MS = 15_000;
/** How long a ping may go unanswered before the socket is taken for dead (ms). */
const PONG_TIMEOUT_MS = 5_000;

/** Exponential backoff with jitter: about 0.5, 1, 2, 4, 8 s, then 15 s for ever. */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** retries);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** Waits out the backoff, but tries at once when the browser says the network is back. */
function waitBeforeRetry(retries: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, retryDelayMs(retries));
    window.addEventListener('online', done);
  });
}

/**
 * The graphql-ws client behind subscriptions. Unlike graphql-ws' default (5 tries, then give up)
 * it retries for ever, and it reports its state to `store` for the connection indicator.
 */
export function createLiveSocket({ url, store, webSocketImpl, keepAliveMs = 15_000 }: LiveSocketOptions) {
  let up = false;
  let everUp = false;
  let failures = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const report = () => {
    let state: ConnectionState;
    if (!navigator.onLine || failures >= OFFLINE_AFTER_FAILURES) state = 'offline';
    else if (up) state = 'live';
    else state = everUp || failures > 0 ? 'reconnecting' : 'connecting';
    store.set({ state, failures });
  };

  const client: Client = createClient({
    url,
    webSocketImpl,
    retryAttempts: Infinity,
    // graphql-ws retries only clean-looking closes by default; a refused connection is worth retrying too.
    shouldRetry: () => true,
    retryWait: waitBeforeRetry,
    keepAlive: keepAliveMs,
    on: {
      connected: () => {
        up = everUp = true;
        failures = 0;
        report();
      },
      closed: () => {
        if (!up) failures += 1;
        up = false;
        clearTimeout(pongTimer);
        report();
      },
      // A socket can die without a close event (a sleeping laptop, a dropped route): an unanswered ping tells.
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  window.addEventListener('online', report);
  window.addEventListener('offline', report);
  return {
    client,
    dispose() {
      window.removeEventListener('online', report);
      window.removeEventListener('offline', report);
      clearTimeout(pongTimer);
      void client.dispose();
    },
  };
}
