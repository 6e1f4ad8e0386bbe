import type { CalculationResolvers } from '../__generated__/resolvers-types.js';

export const Calculation: CalculationResolvers = {
  // Read the (possibly 200 KB) value only for clients that select it, within the request's budget.
  value: (calculation, _args, { calculations, valueBudget }, { rootValue }) => {
    if (calculation.value != null) valueBudget.take(calculation.value.length, rootValue);
    if (calculation.value !== undefined) return calculation.value;
    if (calculation.status !== 'DONE') return null;
    valueBudget.take(calculation.digits ?? 0, rootValue);
    return calculations.value(calculation.index);
  },
  updatedAt: (calculation) => (calculation.updatedAt == null ? null : new Date(calculation.updatedAt).toISOString()),
};
