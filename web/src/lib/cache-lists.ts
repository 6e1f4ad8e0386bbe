import type { ApolloCache, Reference, StoreObject } from '@apollo/client';
import type { ModifierDetails } from '@apollo/client/cache';
import { capped } from './lists';

type ReadFieldFunction = ModifierDetails['readField'];

/** The root list fields the page shows (see the Query type policies in app/cache.ts). */
export type ListField = 'calculations' | 'values';

type Entity = StoreObject | Reference;

function refOf(cache: ApolloCache, entity: Entity): Reference | undefined {
  const id = cache.identify(entity);
  return id === undefined ? undefined : { __ref: id };
}

/**
 * Applies `update` to the cached list. A list not cached yet takes no live entry: the page
 * subscribes only once its lists have answered, and the server replays what came after them.
 */
function updateList(
  cache: ApolloCache,
  field: ListField,
  update: (list: readonly Reference[], readField: ReadFieldFunction) => readonly Reference[],
): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      [field]: (list: readonly Reference[], { readField }) => capped(update(list, readField), list.length),
    },
  });
}

/** Puts `entity` first in a cached root list, removing an earlier copy: "most recently submitted first" for calculations. */
export function moveToTop(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  updateList(cache, field, (list) =>
    list[0]?.__ref === item.__ref ? list : [item, ...list.filter((ref) => ref.__ref !== item.__ref)],
  );
}

/**
 * The server's order of `values` (gateway/src/data/submissions.ts): newest `submittedAt` first, then
 * highest id. Announcements from several gateways can arrive in another order than they were stored.
 */
export function submissionsInServerOrder<T extends Reference | StoreObject>(
  items: readonly T[],
  readField: ReadFieldFunction,
): T[] {
  const byId = new Map(items.map((item) => [readField<string>('id', item), item]));
  const key = (item: T) =>
    [readField<string>('submittedAt', item) ?? '', BigInt(readField<string>('id', item) ?? 0)] as const;
  return [...byId.values()].sort((a, b) => {
    const [timeA, idA] = key(a);
    const [timeB, idB] = key(b);
    if (timeA !== timeB) return timeA < timeB ? 1 : -1;
    return idA === idB ? 0 : idA < idB ? 1 : -1;
  });
}

/** Adds a submission to "Indexes I have seen" at its place in the server's order, unless it is there. */
export function addSubmission(cache: ApolloCache, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  updateList(cache, 'values', (list, readField) =>
    list.some((ref) => ref.__ref === item.__ref) ? list : submissionsInServerOrder([item, ...list], readField),
  );
}

/** Adds `entity` first in a cached root list unless it is already there (anywhere). */
export function addIfMissing(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  updateList(cache, field, (list) => (list.some((ref) => ref.__ref === item.__ref) ? list : [item, ...list]));
}
