import type { Result } from 'ioredis';
import type { RedisClient } from './redis.js';
import type { ValueCalculatedEvent } from './events.js';
import type { RedisKeys } from './keys.js';

// The feed: every ValueCalculatedEvent, appended to a capped Redis stream by COMMIT
// (calculations.ts) in the script that publishes it, so its order is the order of publication.
// A cursor is `<epoch>:<n>`, the n-th event; the epoch is set when a Redis first holds the feed, so
// a cursor from before Redis lost its data is recognised, not misread.

/**
 * Events kept (about 250 bytes each: 2.5 MB): as many as the whole backlog may hold (MAX_BACKLOG's
 * default). A client away longer gets CURSOR_EXPIRED and reloads its lists.
 */
export const FEED_LENGTH = 10_000;

/**
 * Lua: the next event's cursor, and its stream id. The feed numbers its events 1, 2, 3...
 * (explicit stream ids `<n>-0`), so a gap is seen exactly: the first kept number says how many
 * were trimmed. The epoch is set from Redis' clock the first time. KEYS[n]: the feed's meta hash.
 */
export const FEED_NEXT = `
local function feedEpoch(meta)
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch then
    local t = redis.call('TIME')
    epoch = t[1] .. string.format('%06d', tonumber(t[2]))
    redis.call('HSET', meta, 'epoch', epoch)
  end
  return epoch
end
local function feedNext(meta)
  local epoch = feedEpoch(meta)
  local n = redis.call('HINCRBY', meta, 'seq', 1)
  return epoch .. ':' .. n, n .. '-0'
end
`;

/** The newest cursor now (`<epoch>:0` while nothing was published). KEYS: feed meta. */
const CURSOR_NOW = `${FEED_NEXT}
local epoch = feedEpoch(KEYS[1])
return epoch .. ':' .. (redis.call('HGET', KEYS[1], 'seq') or '0')
`;

/**
 * The events after a cursor, oldest first, read at one instant; 'EXPIRED' when some event after
 * it is no longer kept, or the cursor is from another epoch. KEYS: feed, feed meta. ARGV: epoch, n.
 */
const AFTER = `
if redis.call('HGET', KEYS[2], 'epoch') ~= ARGV[1] then return 'EXPIRED' end
local after = tonumber(ARGV[2])
local newest = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
if after > newest then return 'EXPIRED' end
if after == newest then return {} end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
if not first or tonumber(string.match(first[1], '^(%d+)')) > after + 1 then return 'EXPIRED' end
return redis.call('XRANGE', KEYS[1], '(' .. after .. '-0', '+')
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fibFeedCursor(...args: string[]): Result<string, Context>;
    fibFeedAfter(...args: string[]): Result<'EXPIRED' | [string, string[]][], Context>;
  }
}

export interface FeedCursor {
  epoch: string;
  /** The event's number in the feed (0: before the first). */
  n: number;
}

/** A cursor as given by a client, or null when it is not one. */
export function parseCursor(text: string): FeedCursor | null {
  const match = /^(\d{1,20}):(\d{1,15})$/.exec(text);
  return match ? { epoch: match[1]!, n: Number(match[2]) } : null;
}

export class CalculationFeed {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('fibFeedCursor', { numberOfKeys: 1, lua: CURSOR_NOW });
    redis.defineCommand('fibFeedAfter', { numberOfKeys: 2, lua: AFTER });
  }

  /** The newest cursor now: every event published after this call comes after it. */
  now(): Promise<string> {
    return this.redis.fibFeedCursor(this.keys.feedMeta);
  }

  /** The events after `cursor`, oldest first, each with its cursor; 'expired' when they are not all kept. */
  async after(cursor: FeedCursor): Promise<ValueCalculatedEvent[] | 'expired'> {
    const reply = await this.redis.fibFeedAfter(this.keys.feed, this.keys.feedMeta, cursor.epoch, String(cursor.n));
    if (reply === 'EXPIRED') return 'expired';
    return reply.map(([id, fields]) => ({
      ...(JSON.parse(fields[fields.indexOf('event') + 1] ?? '{}') as ValueCalculatedEvent),
      cursor: `${cursor.epoch}:${id.split('-')[0]}`,
    }));
  }
}
