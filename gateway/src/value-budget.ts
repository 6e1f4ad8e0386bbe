import { GraphQLError } from 'graphql';

/**
 * How many digits of `value` one answer may carry in all (MAX_RESPONSE_DIGITS). Query limits bound
 * the shape of an operation, not the size of its answer: five aliased `calculations(limit: 100)
 * { value }` could ask for 500 values of up to 208,988 digits, a 100 MB answer built in the
 * gateway's memory. Each `value` takes its digits from the answer's budget before it is read; past
 * it the field is null with RESPONSE_TOO_LARGE and the rest of the answer stands. The first value
 * of an answer is always served, however large, so every value stays reachable.
 *
 * An answer is what one query or mutation returns (over HTTP or a WebSocket), or one event of a
 * subscription. graphql-js executes each event with that event as its root value, so the budget
 * of one operation keeps a count per root value: every event starts afresh.
 */
export class ValueBudget {
  private readonly usedByEvent = new WeakMap<object, number>();
  private usedByOperation = 0;

  constructor(readonly limit: number) {}

  /** Takes `digits` for the answer whose root value is `root` (graphql's `info.rootValue`). */
  take(digits: number, root: unknown): void {
    const event = typeof root === 'object' && root !== null ? root : undefined;
    const used = event ? (this.usedByEvent.get(event) ?? 0) : this.usedByOperation;
    if (used > 0 && used + digits > this.limit) {
      throw new GraphQLError(
        `value: this answer already carries ${used.toLocaleString('en-US')} digits of values, and at most ` +
          `${this.limit.toLocaleString('en-US')} fit in one; ask for the rest in another request, e.g. calculation(index) { value }`,
        { extensions: { code: 'RESPONSE_TOO_LARGE', limit: this.limit } },
      );
    }
    if (event) this.usedByEvent.set(event, used + digits);
    else this.usedByOperation = used + digits;
  }
}
