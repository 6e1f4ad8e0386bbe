import type { ValueCalculatedEvent, ValueSubmittedEvent } from '@fibgraph/core';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { GraphQLError } from 'graphql';
import { parseCursor } from '@fibgraph/core';
import { fromRedis } from '../data/unavailable.js';
import { assertSubmissionId, badUserInput } from '../arguments.js';
import type { CalculationModel, SubmissionModel } from '../models.js';
import { liveEvents, oncePerEvent, replayThenLive, submittedEvent } from '../pubsub.js';

/** What every resuming subscription checks of each live event, worked out once per event. */
const cursorOf = oncePerEvent((event: ValueCalculatedEvent) => parseCursor(event.cursor ?? ''));
const idOf = oncePerEvent((event: ValueSubmittedEvent) => BigInt(event.id));

/**
 * A subscription field's arguments choose its events (`after`: where the replay starts); its
 * resolve reads only the event. The gateway relies on it to build an event's answer once for every
 * subscriber of one document, whatever their arguments (websocket.ts, answerKey).
 */
export const Subscription: SubscriptionResolvers = {
  valueCalculated: {
    // Events come from whichever worker computed the value, through Redis pub/sub, to every
    // gateway. With `after`, the feed's events after that cursor come first (see replayThenLive).
    subscribe: async (_parent, { after }, { pubsub, keys, feed, logger }) => {
      if (after == null) return liveEvents<ValueCalculatedEvent>(pubsub, keys.valueCalculated, logger);
      const cursor = parseCursor(after);
      if (!cursor)
        throw badUserInput(
          `after must be a cursor from a valueCalculated event or feedCursor, got ${JSON.stringify(after)}`,
        );
      const read = async () => {
        const events = await fromRedis(feed.after(cursor));
        if (events === 'expired') throw cursorExpired(after, 'calculations');
        return events;
      };
      // Refused before anything starts, as a typed error (the same check runs again in the replay).
      await read();
      const seen = (event: ValueCalculatedEvent) => {
        const at = cursorOf(event);
        return at !== null && at.epoch === cursor.epoch && at.n <= cursor.n;
      };
      return replayThenLive(pubsub, keys.valueCalculated, { read, keyOf: (event) => event.cursor ?? '', seen }, logger);
    },
    resolve: (event: ValueCalculatedEvent): CalculationModel => ({ ...event }),
  },
  valueSubmitted: {
    // Published by whichever gateway stored the submission (see publishSubmitted). With `after`,
    // the submissions stored since that one come first, from Postgres (see replayThenLive).
    // More than a list's worth stored since: CURSOR_EXPIRED, the client reloads its list (a replay
    // of only the newest would leave a gap no one sees).
    subscribe: async (_parent, { after }, { pubsub, keys, submissions, config, logger }) => {
      if (after == null) return liveEvents<ValueSubmittedEvent>(pubsub, keys.valueSubmitted, logger);
      const afterId = assertSubmissionId(after, 'after');
      const read = async () => {
        const rows = await submissions.after(afterId, config.maxListLimit + 1);
        if (rows.length > config.maxListLimit) throw cursorExpired(after, 'submissions');
        return rows.map(submittedEvent);
      };
      await read();
      const seen = (event: ValueSubmittedEvent) => idOf(event) <= afterId;
      return replayThenLive(pubsub, keys.valueSubmitted, { read, keyOf: (event) => event.id, seen }, logger);
    },
    resolve: (event: ValueSubmittedEvent): SubmissionModel => ({
      id: BigInt(event.id),
      index: event.index,
      submittedAt: new Date(event.submittedAt),
    }),
  },
};

function cursorExpired(after: string, what: 'calculations' | 'submissions'): GraphQLError {
  const next = what === 'calculations' ? 'subscribe from feedCursor' : 'subscribe after its newest submission';
  return new GraphQLError(`after: ${after} is older than the replay of ${what} covers; reload the list, then ${next}`, {
    extensions: { code: 'CURSOR_EXPIRED' },
  });
}
