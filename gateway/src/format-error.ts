import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.js';

/**
 * Two adjustments to what clients see:
 * - A literal that is not an Int (`submitValue(index: 1.5)`) fails document validation, but to a
 *   user it is bad input like any other, so it carries BAD_USER_INPUT as CONTRACT.md promises.
 * - In production an unexpected error says only "Internal server error"; the details are logged.
 */
export function formatError(production: boolean, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (
      code === 'GRAPHQL_VALIDATION_FAILED' &&
      /^(Int|Float|String|Boolean|ID) cannot represent/.test(formatted.message)
    ) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    if (code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error in a resolver');
      if (production) return { message: 'Internal server error', path: formatted.path, extensions: { code } };
    }
    return formatted;
  };
}
