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
