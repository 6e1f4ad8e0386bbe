import { GraphQLError } from 'graphql';

/**
 * How many digits of `value` one HTTP request may carry in all (MAX_RESPONSE_DIGITS). Query limits
 * (query-limits.ts) bound the shape of an operation, not the size of its answer: five aliased
 * `calculations(limit: 100) { value }` could ask for 500 values of up to 208,988 digits, a 100 MB
 * response built in the gateway's memory. Each `value` takes its digits from the request's budget
 * before it is read; past the budget the field is null with a RESPONSE_TOO_LARGE error naming the
 * limit, and the rest of the answer stands. The first value of a request is always served, however
 * large, so every value stays reachable (`calculation(index) { value }`).
 * Subscriptions have no budget: an event carries one Calculation (at most 5 aliases of it).
 */
export class ValueBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  take(digits: number): void {
    if (this.used > 0 && this.used + digits > this.limit) {
      throw new GraphQLError(
        `value: this request already carries ${this.used.toLocaleString('en-US')} digits of values, and at most ` +
          `${this.limit.toLocaleString('en-US')} fit in one; ask for the rest in another request, e.g. calculation(index) { value }`,
        { extensions: { code: 'RESPONSE_TOO_LARGE', limit: this.limit } },
      );
    }
    this.used += digits;
  }
}
