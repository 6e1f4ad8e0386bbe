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
 * Live entries that came before their list's first answer: that answer was read before they
 * happened, so it does not hold them. Kept per cache and list until the list is cached, for the
 * list's merge function (app/cache.ts) to put them on top of that answer; dropping them lost, for
 * instance, an index submitted right after the page opened from "Indexes I have seen".
 */
const early = new WeakMap<ApolloCache, Map<ListField, Reference[]>>();

/** The live entries that came before the first answer of `field`, newest first. */
export function earlyEntries(cache: ApolloCache, field: ListField): Reference[] {
  return early.get(cache)?.get(field) ?? [];
}

/**
 * Once the list is cached, live entries go into it directly. Not done by the merge of the first
 * answer itself: Apollo may run a merge more than once for one answer, so it must stay repeatable.
 */
export function forgetEarlyEntries(cache: ApolloCache, field: ListField): void {
  early.get(cache)?.delete(field);
}

/** Applies `update` to the cached list, or keeps `item` for the list's first answer when there is no list yet. */
function updateList(
  cache: ApolloCache,
  field: ListField,
  item: Reference,
  update: (list: readonly Reference[], readField: ReadFieldFunction) => readonly Reference[],
): void {
  let listed = false;
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      [field]: (list: readonly Reference[], { readField }) => {
        listed = true;
        return capped(update(list, readField), list.length);
      },
    },
  });
  if (listed) return forgetEarlyEntries(cache, field);
  const lists = early.get(cache) ?? new Map<ListField, Reference[]>();
  early.set(cache, lists);
  lists.set(field, [item, ...(lists.get(field) ?? []).filter((ref) => ref.__ref !== item.__ref)]);
}

/** Puts `entity` first in a cached root list, removing an earlier copy: "most recently submitted first" for calculations. */
export function moveToTop(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  updateList(cache, field, item, (list) =>
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
  updateList(cache, 'values', item, (list, readField) =>
    list.some((ref) => ref.__ref === item.__ref) ? list : submissionsInServerOrder([item, ...list], readField),
  );
}

/** Adds `entity` first in a cached root list unless it is already there (anywhere). */
export function addIfMissing(cache: ApolloCache, field: ListField, entity: Entity): void {
  const item = refOf(cache, entity);
  if (!item) return;
  updateList(cache, field, item, (list) => (list.some((ref) => ref.__ref === item.__ref) ? list : [item, ...list]));
}
