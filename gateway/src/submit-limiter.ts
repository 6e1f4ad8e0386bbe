import { GraphQLError } from 'graphql';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient, RedisKeys } from '@fibgraph/core';

export interface SubmitRate {
  /** Submissions a client may make each second... */
  perSecond: number;
  /** ...plus this many more each minute, for bursts. */
  burstPerMinute: number;
}

/**
 * Submissions per client, whatever the transport, counted in Redis so that every gateway counts
 * together (rate-limiter-flexible: a limit per second, with a burst allowance per minute).
 * While Redis is unreachable each gateway counts in its own memory instead: submissions are still
 * accepted then (stored in Postgres, enqueued by the reconciler later), and still limited.
 */
export class SubmitLimiter {
  private readonly limiter: BurstyRateLimiter;

  constructor(redis: RedisClient, keys: RedisKeys, rate: SubmitRate) {
    const limiter = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
      });
    this.limiter = new BurstyRateLimiter(
      limiter(keys.submitRate, rate.perSecond, 1),
      limiter(keys.submitBurst, rate.burstPerMinute, 60),
    );
  }

  /** Counts one submission of `client`; throws RATE_LIMITED, with seconds to wait, past the limit. */
  async take(client: string): Promise<void> {
    try {
      await this.limiter.consume(client);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Too many submissions from your address: try again in ${retryAfter} s`, {
        extensions: { code: 'RATE_LIMITED', retryAfter },
      });
    }
  }
}
