import { InMemoryCache, type FieldMergeFunction, type Reference, type StoreObject } from '@apollo/client';
import { earlyEntries, forgetEarlyEntries, submissionsInServerOrder, type ListField } from '../lib/cache-lists';
import { capped } from '../lib/lists';

type Item = Reference | StoreObject;

/**
 * Merges a page of a newest-first list from the server into the cached list:
 * - entries cached above every entry of the page arrived live after the page was read (a refetch
 *   on reconnect raced them): they stay on top, as do live entries that came before the list's
 *   first answer at all (see earlyEntries);
 * - entries the page no longer reaches (but this tab received live, or loaded as older pages) are
 *   kept after it rather than dropped, so a long session keeps its history;
 * - a next page (`before`) is appended.
 */
function mergeLive(field: ListField, identify: (item: Item) => unknown): FieldMergeFunction<Item[], Item[]> {
  return (existing, incoming, { cache, args }) => {
    // A next page (`before`: fetchMore of older entries) goes after what is cached.
    if (args?.before != null && existing) {
      const cached = new Set(existing.map(identify));
      return [...existing, ...incoming.filter((item) => !cached.has(identify(item)))];
    }
    const fresh = new Set(incoming.map(identify));
    if (existing) forgetEarlyEntries(cache, field);
    const current: readonly Item[] = existing ?? earlyEntries(cache, field);
    const firstShared = current.findIndex((item) => fresh.has(identify(item)));
    // No shared entry: a first answer (everything early is newer) or a page entirely past the cached entries.
    const newerCount = firstShared >= 0 ? firstShared : existing ? 0 : current.length;
    const newer = current.slice(0, newerCount);
    const older = current.slice(newerCount).filter((item) => !fresh.has(identify(item)));
    return capped([...newer, ...incoming, ...older], existing?.length ?? 0);
  };
}

/**
 * "Indexes I have seen" is always in the server's order (newest submittedAt, then id, first),
 * whichever way its entries came: pages, refetches, live announcements from several gateways,
 * early entries (see earlyEntries), older pages. Entries a refetch no longer reaches stay.
 */
const mergeSubmissions: FieldMergeFunction<Item[], Item[]> = (existing, incoming, { cache, readField, args }) => {
  if (existing) forgetEarlyEntries(cache, 'values');
  const merged = submissionsInServerOrder([...(existing ?? earlyEntries(cache, 'values')), ...incoming], readField);
  // An older page (`before`) was asked for: it is kept whole.
  return args?.before != null ? merged : capped(merged, existing?.length ?? 0);
};

export function createCache(): InMemoryCache {
  const cache: InMemoryCache = new InMemoryCache({
    typePolicies: {
      // One entry per index; late, older states are kept out by freshCalculationsLink.
      Calculation: { keyFields: ['index'] },
      Query: {
        fields: {
          // One list each, whatever limit fetched it; subscriptions add to the same list.
          calculations: { keyArgs: false, merge: mergeLive('calculations', (item) => cache.identify(item)) },
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
