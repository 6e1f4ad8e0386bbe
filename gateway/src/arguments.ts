import { GraphQLError } from 'graphql';
import { indexProblem } from '@fibgraph/core';

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Refuses an index outside 0..maxIndex before anything is written anywhere. */
export function assertIndex(index: number, maxIndex: number): void {
  const problem = indexProblem(index, maxIndex);
  if (problem) throw badUserInput(problem);
}

export function assertLimit(limit: number | null | undefined, max: number): number {
  const value = limit ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw badUserInput(`limit must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

const MAX_ID = 2n ** 63n - 1n; // Postgres bigint

/** A submission id argument (`after`, `before`) as the bigint Postgres stores. */
export function assertSubmissionId(id: string, argument: string): bigint {
  const value = /^\d{1,19}$/.test(id) ? BigInt(id) : -1n;
  if (value < 0n || value > MAX_ID)
    throw badUserInput(`${argument} must be a submission id, got ${JSON.stringify(id)}`);
  return value;
}
