import type { ApolloCache, Reference, StoreObject } from '@apollo/client';

/** The root list fields the page shows (see the Query type policies in app/cache.ts). */
export type ListField = 'calculations' | 'values';

type Entity = StoreObject | Reference;

function refOf(cache: ApolloCache, entity: Entity): Reference | undefined {
  const id = cache.identify(entity);
  return id === undefined ? undefined : { __ref: id };
}

/**
 * Puts `entity` first in a cached root list, removing an earlier copy: "most recently submitted
 * first" for calculations. Does nothing until the list was fetched once (the fetch brings it anyway).
 */
export function moveToTop(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      [field]: (list: readonly Reference[]) =>
        list[0]?.__ref === item.__ref ? list : [item, ...list.filter((ref) => ref.__ref !== item.__ref)],
    },
  });
}

/** Adds `entity` first in a cached root list unless it is already there (anywhere). */
export function addIfMissing(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      [field]: (list: readonly Reference[]) => (list.some((ref) => ref.__ref === item.__ref) ? list : [item, ...list]),
    },
  });
}
