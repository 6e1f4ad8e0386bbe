import { InMemoryCache, type FieldMergeFunction, type Reference, type StoreObject } from '@apollo/client';

type Item = Reference | StoreObject;

/**
 * A refetch brings the newest page from the server; entries the page no longer reaches (but this
 * tab received live) are kept after it rather than dropped, so a long session keeps its history.
 */
function keepOlder(identify: (item: Item) => unknown): FieldMergeFunction<Item[], Item[]> {
  return (existing = [], incoming) => {
    const fresh = new Set(incoming.map(identify));
    return [...incoming, ...existing.filter((item) => !fresh.has(identify(item)))];
  };
}

export function createCache(): InMemoryCache {
  const cache: InMemoryCache = new InMemoryCache({
    typePolicies: {
      // One entry per index; late, older states are kept out by freshCalculationsLink.
      Calculation: { keyFields: ['index'] },
      Query: {
        fields: {
          // One list each, whatever limit fetched it; subscriptions add to the same list.
          calculations: { keyArgs: false, merge: keepOlder((item) => cache.identify(item)) },
          values: { keyArgs: false, merge: keepOlder((item) => cache.identify(item)) },
          // A value already in the cache (from any list or event) needs no request.
          calculation: {
            read: (existing, { args, toReference }) =>
              existing ?? toReference({ __typename: 'Calculation', index: args?.index as number }),
          },
        },
      },
    },
  });
  return cache;
}
