import type { CalculationSummary } from '@fibgraph/core';

/** A Calculation as resolvers pass it around; `value` is loaded only when a client selects it. */
export interface CalculationModel extends CalculationSummary {
  /** Present when already at hand; otherwise the Calculation.value resolver reads it. */
  value?: string | null;
  /** Its position in the feed, on a valueCalculated event only. */
  cursor?: string;
}

export interface SubmissionModel {
  id: bigint;
  index: number;
  submittedAt: Date;
}
