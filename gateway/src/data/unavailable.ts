import { GraphQLError } from 'graphql';
import { ReplyError } from 'ioredis';
import pg from 'pg';
import { Prisma } from '../__generated__/prisma/client.js';

// A dependency that does not answer in time is neither the client's fault nor a bug: the client
// gets SERVICE_UNAVAILABLE naming it (CONTRACT.md), and may try again. Only errors that say the
// dependency is away count (allowlists below); anything else, a missing table or a bad script,
// stays an internal error (masked in production, always logged).

export type Dependency = 'Postgres' | 'Redis';

export function serviceUnavailable(dependency: Dependency, cause: unknown): GraphQLError {
  return new GraphQLError(`${dependency} is not available right now; try again shortly`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', dependency },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** Socket-level failures, whichever client saw them. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const networkFailure = (err: Error & { code?: unknown }) => typeof err.code === 'string' && NETWORK_CODES.has(err.code);

/** ioredis' own words for a Redis (or a Redis Cluster) it cannot reach in time, and Redis' for "not now". */
const REDIS_AWAY =
  /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries|connect E[A-Z]+|Cluster isn't ready|Failed to refresh slots cache|None of startup nodes is available|Too many Cluster redirections)/;
const REDIS_NOT_NOW = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

function redisIsAway(err: Error): boolean {
  if (err instanceof ReplyError) return REDIS_NOT_NOW.test(err.message);
  return networkFailure(err) || err.name === 'MaxRetriesPerRequestError' || REDIS_AWAY.test(err.message);
}

/** node-postgres' words for a lost or silent server (the driver adapter passes them on as they are). */
const POSTGRES_AWAY =
  /^(Query read timeout|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect E[A-Z]+)/;
/** SQLSTATEs of a server that is away or refuses now: connection exceptions, shutdown, statement timeout, too many connections. */
const POSTGRES_NOT_NOW = /^(08|57P0[1-3]|57014|53300)/;

function postgresIsAway(err: Error): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  // The statement a submission runs goes to node-postgres itself (SubmissionStore.insert).
  if (err instanceof pg.DatabaseError) return POSTGRES_NOT_NOW.test(err.code ?? '');
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037'].includes(err.code)) return true;
    const cause = (err.meta?.driverAdapterError as { cause?: { kind?: string; originalCode?: string; code?: string } })
      ?.cause;
    const sqlState = cause?.originalCode ?? cause?.code ?? '';
    return (
      ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'].includes(cause?.kind ?? '') ||
      POSTGRES_NOT_NOW.test(sqlState)
    );
  }
  // A host name with several addresses none of which answers (localhost: 127.0.0.1 and ::1) fails
  // as an AggregateError carrying the first one's code.
  const plain = err.constructor === Error || err.constructor === AggregateError;
  return plain && (networkFailure(err) || POSTGRES_AWAY.test(err.message));
}

/** Which dependency an error says is away, if any. */
export function awayDependency(err: unknown): Dependency | null {
  if (!(err instanceof Error)) return null;
  if (postgresIsAway(err)) return 'Postgres';
  if (redisIsAway(err)) return 'Redis';
  return null;
}

export async function fromRedis<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw err instanceof Error && redisIsAway(err) ? serviceUnavailable('Redis', err) : err;
  }
}

export async function fromPostgres<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw err instanceof Error && postgresIsAway(err) ? serviceUnavailable('Postgres', err) : err;
  }
}
