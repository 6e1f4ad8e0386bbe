/**
 * A stand-in for the browser's WebSocket, played from the server's side by the test: accept,
 * acknowledge, drop, refuse. graphql-ws runs unchanged on top of it.
 */
export function fakeWebSockets() {
  const sockets: FakeWebSocket[] = [];

  class FakeWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;

    readyState = FakeWebSocket.CONNECTING;
    readonly sent: { type: string }[] = [];
    onopen: ((event: object) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: object) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;

    constructor(
      readonly url: string,
      readonly protocol: string,
    ) {
      sockets.push(this);
    }

    send(data: string): void {
      this.sent.push(JSON.parse(data) as { type: string });
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState === FakeWebSocket.CLOSED) return;
      this.readyState = FakeWebSocket.CLOSED;
      this.onclose?.({ code, reason });
    }

    /** The server accepts the socket; graphql-ws answers with connection_init. */
    accept(): void {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.({});
    }

    /** The server acknowledges connection_init: the connection is up. */
    acknowledge(): void {
      this.onmessage?.({ data: JSON.stringify({ type: 'connection_ack' }) });
    }

    /** Nobody answers at that address (a gateway restarting, a proxy with no upstream). */
    refuse(): void {
      this.onerror?.({});
      this.close(1006);
    }
  }

  return {
    WebSocket: FakeWebSocket,
    latest(): FakeWebSocket {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
    get count() {
      return sockets.length;
    },
  };
}
