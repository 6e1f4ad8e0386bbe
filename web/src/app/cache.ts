import { InMemoryCache, type FieldMergeFunction, type Reference, type StoreObject } from '@apollo/client';
import { submissionsInServerOrder } from '../lib/cache-lists';
import { capped } from '../lib/lists';

type Item = Reference | StoreObject;

/**
 * "Calculated values", most recently submitted first: a first page from the server (the first
 * answer, or a reload after CURSOR_EXPIRED) goes on top, the cached entries it no longer reaches
 * stay after it (a long session keeps its history); a next page (`before`) is appended. Live events
 * change the list in place (lib/cache-lists.ts).
 */
function mergeNewestFirst(identify: (item: Item) => unknown): FieldMergeFunction<Item[], Item[]> {
  return (existing = [], incoming, { args }) => {
    if (args?.before != null) {
      const cached = new Set(existing.map(identify));
      return [...existing, ...incoming.filter((item) => !cached.has(identify(item)))];
    }
    const fresh = new Set(incoming.map(identify));
    return capped([...incoming, ...existing.filter((item) => !fresh.has(identify(item)))], existing.length);
  };
}

/**
 * "Indexes I have seen" is always in the server's order (newest submittedAt, then id, first),
 * whichever way its entries came: pages, live announcements from several gateways, older pages.
 */
const mergeSubmissions: FieldMergeFunction<Item[], Item[]> = (existing = [], incoming, { readField, args }) => {
  const merged = submissionsInServerOrder([...existing, ...incoming], readField);
  // An older page (`before`) was asked for: it is kept whole.
  return args?.before != null ? merged : capped(merged, existing.length);
};

export function createCache(): InMemoryCache {
  const cache: InMemoryCache = new InMemoryCache({
    typePolicies: {
      // One entry per index; late, older states are kept out by freshCalculationsLink.
      Calculation: { keyFields: ['index'] },
      Query: {
        fields: {
          // One list each, whatever limit fetched it; subscriptions add to the same list.
          calculations: { keyArgs: false, merge: mergeNewestFirst((item) => cache.identify(item)) },
          values: { keyArgs: false, merge: mergeSubmissions },
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
