import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GatewayContext, GatewayServices } from './context.js';
import { graphqlPostHandler } from './graphql-post.js';
import { readyHandler } from './health.js';
import { operationPolicy } from './operation-policy.js';
import { playgroundRoutes } from './playground.js';
import { buildSchema } from './schema.js';
import { attachWebSocket } from './websocket.js';

export interface GatewayServer {
  httpServer: Server;
  /** Listens on `port` (0 picks a free one) and resolves with the port. */
  listen(port: number): Promise<number>;
  /** Stops accepting, drains HTTP requests and WebSocket subscriptions. */
  stop(): Promise<void>;
}

/** Largest body (nginx refuses more than 16 kB too); the token limit bounds a document's work, this its bytes. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Express + Apollo Server (HTTP) and graphql-ws (WebSocket) on ONE HTTP server, both at /graphql,
 * both under one operation policy (operation-policy.ts).
 */
export async function createGatewayServer(services: GatewayServices): Promise<GatewayServer> {
  const schema = buildSchema();
  const policy = operationPolicy(services);
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  // `/GraphQL` must not be another way in: nginx's limits match the path exactly.
  app.set('case sensitive routing', true);
  // POST /graphql with a plain JSON body goes straight to Apollo Server (graphql-post.ts), every
  // other request through Express. (The server listens only once Apollo has started.)
  const httpServer = createServer((req, res) => {
    if (!graphqlPost(req, res)) app(req, res);
  });
  // Longer than nginx's upstream keep-alive (30 s), so nginx never reuses a connection being closed.
  httpServer.keepAliveTimeout = 65_000;

  const webSocket = attachWebSocket(httpServer, schema, policy, {
    allowedOrigins: config.allowedOrigins,
    maxOperations: config.maxOperationsPerSocket,
  });
  const closeSubscriptions: ApolloServerPlugin<GatewayContext> = {
    serverWillStart: async () => ({ drainServer: async () => webSocket.dispose() }),
  };
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    // index.ts owns SIGTERM: Apollo's own handler would end the process before Redis and Postgres close.
    stopOnTerminationSignals: false,
    // The policy's rules decide introspection (its validation rules), for HTTP and WebSocket alike.
    introspection: true,
    parseOptions: policy.parseOptions,
    validationRules: policy.validationRules,
    formatError: policy.formatError,
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      closeSubscriptions,
      // Apollo's landing page loads its scripts from a CDN; the playground is served by this system.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  const graphqlPost = graphqlPostHandler(apollo, policy.contextFor, MAX_BODY_BYTES, refuseBody);

  // Up, and how many WebSockets this gateway holds (a figure for operators and autoscalers).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', webSockets: webSocket.open() });
  });
  app.get('/readyz', readyHandler(services));
  app.use(playgroundRoutes(config.playground));
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, { context: async ({ req }) => policy.contextFor(req) }),
  );
  app.use(badRequest);

  return {
    httpServer,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    stop: () => apollo.stop(),
  };
}

/** A body that is not JSON, or too large, is the client's mistake: a GraphQL-shaped 4xx, never a page with a stack. */
function badRequest(err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction): void {
  const status = err.status ?? 500;
  if (res.headersSent || status < 400 || status >= 500) return next(err);
  refuseBody(res, status, err.type ?? '');
}

/** The answer to a body that cannot be read (`type` as body-parser names the reason). */
function refuseBody(res: ServerResponse, status: number, type: string): void {
  const messages: Record<string, string> = {
    'entity.too.large': `The body is larger than ${MAX_BODY_BYTES / 1024}kb`,
    'entity.parse.failed': 'The body is not valid JSON',
    'charset.unsupported': 'The body is in a character set other than UTF-8',
    'encoding.unsupported': 'The body is in an encoding this server does not read',
  };
  const message = messages[type] ?? 'The body cannot be read';
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
