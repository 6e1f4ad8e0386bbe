import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A subscription's events as they arrive, with a way to wait for a particular one. */
export class EventLog<T> {
  readonly events: T[] = [];
  private waiters: (() => void)[] = [];

  push(event: T): void {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async waitFor(predicate: (event: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A plain client as any app would use: fetch for queries and mutations, graphql-ws for subscriptions. */
export class GraphQLClient {
  private ws: Client | undefined;
  private connected: Promise<unknown> | undefined;
  /** True once the server closed the socket. */
  closed = false;

  constructor(private readonly host: string) {}

  async request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(`http://${this.host}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  /**
   * Subscribes; resolves once the socket is connected (the subscription may still be registering).
   * An answer with errors and no data is logged as `{ errors }`.
   */
  async subscribe<T>(query: string, variables?: Record<string, unknown>): Promise<EventLog<T>> {
    if (!this.ws) {
      this.ws = createClient({ url: `ws://${this.host}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      const ws = this.ws;
      this.connected = new Promise((resolve) => ws.on('connected', resolve));
      ws.on('closed', () => (this.closed = true));
    }
    const log = new EventLog<T>();
    this.ws.subscribe<T>(
      { query, variables },
      {
        next: (result: ExecutionResult<T>) => log.push(result.data ?? ({ errors: result.errors } as T)),
        error: (err) => log.push({ error: err } as T),
        complete: () => undefined,
      },
    );
    await this.connected;
    return log;
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
  }
}
