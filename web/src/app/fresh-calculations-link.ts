import { ApolloLink, type ApolloCache } from '@apollo/client';
import { map } from 'rxjs';
import { CalculationItemFragment } from '../features/calculations/components/calculation-item';

type Json = unknown;

function stamp(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * A mutation reply or a submission event can reach the page after the result it precedes (they
 * travel different paths: HTTP, or another Redis channel), and a plain cache write would turn a
 * shown value back into "Calculating…". This link, placed before the cache writes a response,
 * replaces each Calculation state older than the cached one with the cached one (`updatedAt`
 * orders the states).
 */
export function freshCalculationsLink(cache: ApolloCache): ApolloLink {
  const freshen = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(freshen);
    if (value === null || typeof value !== 'object') return value;
    const object = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, freshen(field)]));
    if (object.__typename !== 'Calculation' || typeof object.index !== 'number') return object;
    const cached = cache.readFragment({
      fragment: CalculationItemFragment,
      from: { __typename: 'Calculation', index: object.index },
      returnPartialData: true,
    });
    if (!cached || stamp(cached.updatedAt) <= stamp(object.updatedAt)) return object;
    // Only the fields the response carries: the write must keep its own shape.
    const newer = Object.entries(cached).filter(([key]) => key in object && key !== '__typename');
    return { ...object, ...Object.fromEntries(newer) };
  };

  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      map((result) => (result.data ? { ...result, data: freshen(result.data) as typeof result.data } : result)),
    ),
  );
}
