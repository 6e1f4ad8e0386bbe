/**
 * What a hostile or careless client sends, byte for byte: plain HTTP requests with any body and
 * headers (the status code is part of the answer), and graphql-ws sockets driven message by message.
 */
import WebSocket from 'ws';

export interface RawAnswer {
  status: number;
  /** The body parsed as JSON when it is JSON, else its text. */
  body: unknown;
}

/** One HTTP request as given: `body` is sent as is (a string) or as JSON. */
export async function rawRequest(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const body = init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: body as string | undefined,
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A graphql-ws socket driven by hand: each operation's messages, and how the socket ended. */
export class RawSocket {
  readonly messages: Record<string, unknown>[] = [];
  /** Set once the socket closed: the close code and reason, or the refused upgrade's status. */
  closed?: { code: number; reason: string };
  refusedWith?: number;
  private readonly ws: WebSocket;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, 'graphql-transport-ws', options);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      this.wake();
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.refusedWith = res.statusCode;
      this.closed = { code: 0, reason: `HTTP ${res.statusCode}` };
      this.ws.terminate();
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed ??= { code, reason: String(reason) };
      this.wake();
    });
    this.ws.on('error', () => this.wake());
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves when `probe` holds, or throws after `timeoutMs`. */
  async until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; messages: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async opened(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return;
    await new Promise<void>((resolve) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => resolve());
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** connection_init, then the acknowledgement. */
  async init(): Promise<void> {
    await this.opened();
    this.send({ type: 'connection_init' });
    await this.until('connection_ack', () =>
      this.messages.some((m) => m.type === 'connection_ack') ? true : undefined,
    );
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  /** The first `next` payload of operation `id`, or its `error` payload as `{ errors }`. */
  async answer(id: string, timeoutMs?: number): Promise<GraphQLAnswer> {
    return this.until(
      `an answer to operation ${id}`,
      () => {
        const message = this.messages.find((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
        if (!message) return undefined;
        return message.type === 'next'
          ? (message.payload as GraphQLAnswer)
          : { errors: message.payload as GraphQLAnswer['errors'] };
      },
      timeoutMs,
    );
  }

  async closedWith(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    return this.until('the socket to close', () => this.closed, timeoutMs);
  }

  /** Stops reading from the connection (what reaches it waits in the kernel, then in the server), or reads again. */
  reading(on: boolean): void {
    if (on) this.ws.resume();
    else this.ws.pause();
  }

  close(): void {
    this.ws.terminate();
  }
}
