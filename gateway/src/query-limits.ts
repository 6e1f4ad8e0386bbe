import { ApolloArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, specifiedRules, validate, type ValidationRule } from 'graphql';

/**
 * Limits on the shape of an operation, from graphql-armor, for HTTP (Apollo) and WebSocket
 * (graphql-ws) alike. `limit` bounds each list at 100, but aliases would multiply it: ten aliased
 * `calculations(limit: 100) { value }` could ask Redis for 1,000 values of up to 200 KB each.
 */
export function queryLimits(production: boolean) {
  return new ApolloArmor({
    maxAliases: { n: 5 },
    // Fragments count as what they contain, not as a level of their own (the web client uses them).
    maxDepth: { n: 8, flattenFragments: true },
    costLimit: { maxCost: 5_000 },
    maxDirectives: { n: 10 },
    maxTokens: { n: 2_000 },
    // "Did you mean ...?" would describe the schema to clients that may not introspect it.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/** graphql-ws validates on its own: the same rules as Apollo's, plus no introspection when it is off. */
export function webSocketValidation(rules: ValidationRule[], introspection: boolean): typeof validate {
  const all = [...specifiedRules, ...rules, ...(introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  return (schema, document) => validate(schema, document, all);
}
