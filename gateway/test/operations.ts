/** The operations the tests send, as a client would write them (selections on one line each). */
export const SUBMIT = `
  mutation Submit($index: Int!) {
    submitValue(index: $index) { index status value digits }
  }
`;

export const VALUE_CALCULATED = `
  subscription {
    valueCalculated { index status value digits preview computeMs }
  }
`;

export const CALCULATION = `
  query Calculation($index: Int!) {
    calculation(index: $index) { index status value digits preview updatedAt }
  }
`;

export const VALUES = `
  query Values($limit: Int) {
    values(limit: $limit) { id index submittedAt }
  }
`;

export const CALCULATIONS = `
  query Calculations($limit: Int) {
    calculations(limit: $limit) { index status digits preview }
  }
`;

export interface CalculationData {
  index: number;
  status: 'PENDING' | 'DONE' | 'FAILED';
  value: string | null;
  digits: number | null;
  preview?: string | null;
  computeMs?: number | null;
  updatedAt?: string | null;
}
