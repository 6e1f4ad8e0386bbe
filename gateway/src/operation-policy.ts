import type { IncomingMessage } from 'node:http';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  NoSchemaIntrospectionCustomRule,
  type GraphQLFormattedError,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { clientAddress } from './client-address.js';
import { awayDependency, serviceUnavailable } from './data/unavailable.js';
import type { GatewayContext, GatewayServices } from './context.js';
import { ValueBudget } from './value-budget.js';

/**
 * Every rule an operation meets, whichever transport brings it: server.ts hands these to Apollo
 * Server (HTTP) and websocket.ts to graphql-ws (WebSocket), and neither has rules of its own, so a
 * rule cannot guard one transport only. gateway/test/hostile.test.ts sends each hostile operation
 * over both and expects the same answer.
 */
export interface OperationPolicy {
  /** At most 2,000 tokens: a larger document is refused (400) before it is even parsed whole. */
  parseOptions: ParseOptions;
  /** Beyond graphql's own rules: the shape limits, and no introspection while the playground is off. */
  validationRules: ValidationRule[];
  /** What a client sees of an error (codes, masking of internals, no schema hints in production). */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** The context of one operation of the client that sent `request` (an HTTP request or a socket's upgrade). */
  contextFor(request: IncomingMessage): GatewayContext;
}

export function operationPolicy(services: GatewayServices): OperationPolicy {
  const { config, logger } = services;
  const production = config.nodeEnv === 'production';
  // graphql-armor's validation rules; its token limit and suggestion masking are Apollo plugins, done
  // here instead by graphql's own parser and by formatError so that graphql-ws gets them too.
  const armor = new ApolloArmor({
    maxAliases: { n: 5 },
    // Fragments count as what they contain, not as a level of their own (the web client uses them).
    maxDepth: { n: 8, flattenFragments: true },
    costLimit: { maxCost: 5_000 },
    maxDirectives: { n: 10 },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();

  return {
    parseOptions: { maxTokens: 2_000 },
    validationRules: [...armor.validationRules, ...(config.playground ? [] : [NoSchemaIntrospectionCustomRule])],
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      // A literal that is not an Int (`submitValue(index: 1.5)`) fails validation, but to a user it
      // is bad input like any other, as CONTRACT.md promises.
      if (
        code === 'GRAPHQL_VALIDATION_FAILED' &&
        /^(Int|Float|String|Boolean|ID) cannot represent/.test(formatted.message)
      ) {
        return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
      }
      // "Did you mean ...?" would describe the schema to clients that may not introspect it.
      if (production && / Did you mean .+\?$/.test(formatted.message)) {
        return { ...formatted, message: formatted.message.replace(/ Did you mean .+\?$/, '') };
      }
      // Resolvers say so through the data layer; a dependency can also fail under graphql itself
      // (a subscription's Redis), which reaches here as an internal error.
      const away = code === 'INTERNAL_SERVER_ERROR' ? awayDependency(unwrapResolverError(error)) : null;
      if (code === 'SERVICE_UNAVAILABLE' || away) {
        logger.warn({ err: unwrapResolverError(error), path: formatted.path }, 'a dependency did not answer');
        return {
          message: away ? serviceUnavailable(away, error).message : formatted.message,
          path: formatted.path,
          extensions: { code: 'SERVICE_UNAVAILABLE', dependency: away ?? formatted.extensions?.dependency },
        };
      }
      if (code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error in a resolver');
        if (production) return { message: 'Internal server error', path: formatted.path, extensions: { code } };
      }
      return formatted;
    },
    contextFor: (request) => ({
      ...services,
      client: clientAddress(request),
      valueBudget: new ValueBudget(config.maxResponseDigits),
    }),
  };
}
