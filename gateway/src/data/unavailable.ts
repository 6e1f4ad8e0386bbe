import { GraphQLError } from 'graphql';
import { ReplyError } from 'ioredis';
import { Prisma } from '../__generated__/prisma/client.js';

/**
 * A dependency that does not answer in time is not the client's fault nor a bug: the client gets
 * SERVICE_UNAVAILABLE naming it (CONTRACT.md), and may try again. Anything else stays what it is
 * (a bug is masked and logged as an internal error by the operation policy).
 */
export function serviceUnavailable(dependency: 'Postgres' | 'Redis', cause: unknown): GraphQLError {
  return new GraphQLError(`${dependency} is not available right now; try again shortly`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', dependency },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** Redis did not answer (down, unreachable, timed out, loading); a reply it did give is no outage. */
function redisIsAway(err: unknown): boolean {
  if (err instanceof ReplyError)
    return /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/.test((err as Error).message);
  return err instanceof Error;
}

/** Postgres did not answer; a query Prisma refused before sending it is a bug, not an outage. */
function postgresIsAway(err: unknown): boolean {
  return err instanceof Error && !(err instanceof Prisma.PrismaClientValidationError);
}

export async function fromRedis<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw redisIsAway(err) ? serviceUnavailable('Redis', err) : err;
  }
}

export async function fromPostgres<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw postgresIsAway(err) ? serviceUnavailable('Postgres', err) : err;
  }
}
