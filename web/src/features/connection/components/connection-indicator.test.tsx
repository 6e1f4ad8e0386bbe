import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveSocket } from '../../../app/live-socket';
import { ConnectionContext, ConnectionStore } from '../../../lib/connection-status';
import { fakeWebSockets } from '../../../test/fake-websocket';
import { ConnectionIndicator } from './connection-indicator';

/** The real socket setup and indicator, with only the WebSocket itself played by the test. */
function setup() {
  const sockets = fakeWebSockets();
  const store = new ConnectionStore();
  const live = createLiveSocket({
    url: 'ws://localhost/api/graphql',
    store,
    webSocketImpl: sockets.WebSocket,
    keepAliveMs: 0,
  });
  // graphql-ws connects lazily: a subscription makes it open the socket.
  live.client.subscribe(
    { query: 'subscription { valueCalculated { index } }' },
    {
      next: () => undefined,
      error: () => undefined,
      complete: () => undefined,
    },
  );
  render(
    <ConnectionContext.Provider value={store}>
      <ConnectionIndicator />
    </ConnectionContext.Provider>,
  );
  return { sockets, live, status: () => screen.getByTestId('connection-status') };
}

/** Lets graphql-ws' promises and any due retry timer run. */
const settle = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

/** The server accepts the newest socket and acknowledges its connection_init. */
async function serverAccepts(sockets: ReturnType<typeof fakeWebSockets>): Promise<void> {
  sockets.latest().accept();
  await settle();
  await act(async () => sockets.latest().acknowledge());
}

describe('ConnectionIndicator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('says connecting, then live once the server acknowledges the socket', async () => {
    const { sockets, status, live } = setup();
    await settle();
    expect(status()).toHaveTextContent('Connecting…');

    sockets.latest().accept();
    await settle();
    expect(sockets.latest().sent.map((m) => m.type)).toContain('connection_init');
    await act(async () => sockets.latest().acknowledge());
    expect(status()).toHaveTextContent('Live');
    expect(status()).toHaveAttribute('data-state', 'live');
    live.dispose();
  });

  it('says reconnecting when the socket drops, offline after repeated failures, and keeps trying until live again', async () => {
    const { sockets, status, live } = setup();
    await settle();
    await serverAccepts(sockets);

    await act(async () => sockets.latest().close(1006));
    expect(status()).toHaveTextContent('Reconnecting…');

    // graphql-ws gives up after 5 attempts by default; this client must not.
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = sockets.count;
      await settle(20_000);
      expect(sockets.count).toBe(before + 1);
      await act(async () => sockets.latest().refuse());
    }
    expect(status()).toHaveTextContent('Offline');

    await settle(20_000);
    await serverAccepts(sockets);
    expect(status()).toHaveTextContent('Live');
    live.dispose();
  });

  it('says offline as soon as the browser loses the network', async () => {
    const { sockets, status, live } = setup();
    await settle();
    await serverAccepts(sockets);

    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await act(async () => window.dispatchEvent(new Event('offline')));
    expect(status()).toHaveTextContent('Offline');
    live.dispose();
  });
});
