import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GatewayContext } from './context.js';
import { ValueBudget } from './value-budget.js';
import { formatError } from './format-error.js';
import { readyHandler } from './health.js';
import { playgroundRoutes } from './playground.js';
import { queryLimits, webSocketValidation } from './query-limits.js';
import { buildSchema } from './schema.js';

export interface GatewayServer {
  httpServer: Server;
  /** Listens on `port` (0 picks a free one) and resolves with the port. */
  listen(port: number): Promise<number>;
  /** Stops accepting, drains HTTP requests and WebSocket subscriptions. */
  stop(): Promise<void>;
}

/** Express + Apollo Server (HTTP) and graphql-ws (WebSocket) on ONE HTTP server, both at /graphql. */
export async function createGatewayServer(context: GatewayContext): Promise<GatewayServer> {
  const schema = buildSchema();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const { playground, nodeEnv } = context.config;
  const limits = queryLimits(nodeEnv === 'production');
  const subscriptions = useServer(
    { schema, context: () => context, validate: webSocketValidation(limits.validationRules, playground) },
    wsServer,
  );

  const closeSubscriptions: ApolloServerPlugin<GatewayContext> = {
    serverWillStart: async () => ({ drainServer: async () => subscriptions.dispose() }),
  };
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    // index.ts owns SIGTERM: Apollo's own handler would end the process before Redis and Postgres close.
    stopOnTerminationSignals: false,
    // Off in production unless PLAYGROUND=true: the same switch as the playground (see playground.ts).
    introspection: playground,
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: false,
    formatError: formatError(context.config.nodeEnv === 'production', context.logger),
    plugins: [
      // graphql-armor is typed against Apollo's CommonJS build; the plugins are context-agnostic.
      ...(limits.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: context.config.shutdownTimeoutMs }),
      closeSubscriptions,
      // Apollo's landing page loads its scripts from a CDN; the playground is served by this system.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', readyHandler(context));
  app.use(playgroundRoutes(playground));
  app.use(
    '/graphql',
    express.json({ limit: '16kb' }),
    expressMiddleware(apollo, {
      context: async () => ({ ...context, valueBudget: new ValueBudget(context.config.maxResponseDigits) }),
    }),
  );

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
