import type { CalculationResolvers } from '../__generated__/resolvers-types.js';

export const Calculation: CalculationResolvers = {
  // Read the (possibly 200 KB) value only for clients that select it.
  value: (calculation, _args, { results }) => {
    if (calculation.value !== undefined) return calculation.value;
    return calculation.status === 'DONE' ? results.getValue(calculation.index) : null;
  },
  updatedAt: (calculation) => (calculation.updatedAt == null ? null : new Date(calculation.updatedAt).toISOString()),
};
