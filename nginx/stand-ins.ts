import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * Small HTTP servers standing in for the gateway and the web client behind a real nginx in
 * nginx.test.ts: the test is about nginx's routing rules, so each stand-in just records what
 * reached it and answers something recognisable.
 */

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

type Respond = (status: number, type: string, body: string, headers?: Record<string, string>) => void;
type Handler = (standIn: StandIn, seen: SeenRequest, respond: Respond) => void;

export class StandIn {
  readonly seen: SeenRequest[] = [];
  /** TCP connections nginx opened to this stand-in (kept open and reused for plain requests). */
  connections = 0;
  /** What `/playground/access` answers, as the gateway's PLAYGROUND switch would. */
  playgroundAccess = 204;
  port = 0;
  private readonly server: Server;
  private sockets: WebSocketServer | undefined;

  private constructor(handle: Handler) {
    this.server = createServer((req, res) => {
      let bodyBytes = 0;
      req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      req.on('end', () => {
        const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes };
        this.seen.push(seen);
        handle(this, seen, (status, type, body, headers = {}) => {
          res.writeHead(status, { 'content-type': type, ...headers }).end(body);
        });
      });
    });
    this.server.on('connection', () => (this.connections += 1));
  }

  /** A gateway: JSON for every path (padded past gzip's minimum), graphql-ws echo sockets on /graphql. */
  static async gateway(): Promise<StandIn> {
    const standIn = new StandIn((self, seen, respond) => {
      if (seen.url === '/playground/access') return respond(self.playgroundAccess, 'text/plain', '');
      respond(200, 'application/json', JSON.stringify({ url: seen.url, padding: 'fib '.repeat(500) }));
    });
    const sockets = (standIn.sockets = new WebSocketServer({
      server: standIn.server,
      path: '/graphql',
      handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
    }));
    sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
    return standIn.listen();
  }

  /** A web client: HTML for every path, playground.html recognisable, with a CSP of its own that nginx must replace. */
  static async web(): Promise<StandIn> {
    const standIn = new StandIn((_self, seen, respond) => {
      const title = seen.url === '/playground.html' ? 'playground' : 'app';
      respond(200, 'text/html', `<!doctype html><title>${title}</title><p>${'F(n) '.repeat(400)}</p>`, {
        'content-security-policy': 'default-src *',
      });
    });
    return standIn.listen();
  }

  private listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets?.clients ?? []) socket.terminate();
    this.sockets?.close();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as sent: still gzipped when the server compressed it. */
  body: Buffer;
}

/**
 * One HTTP request with node:http rather than fetch: the body stays as nginx sent it (fetch would
 * decompress), and `localAddress` lets a test act as another client (127.0.0.2) for the rate limit.
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
