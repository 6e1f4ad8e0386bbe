/** The operations the tests send, as a client would write them. */
export const SUBMIT = /* GraphQL */ `
  mutation Submit($index: Int!) {
    submitValue(index: $index) {
      index
      status
      value
      digits
    }
  }
`;

export const VALUE_CALCULATED = /* GraphQL */ `
  subscription {
    valueCalculated {
      index
      status
      value
      digits
      preview
      computeMs
    }
  }
`;

export const CALCULATION = /* GraphQL */ `
  query Calculation($index: Int!) {
    calculation(index: $index) {
      index
      status
      value
      digits
      preview
      updatedAt
    }
  }
`;

export const VALUES = /* GraphQL */ `
  query Values($limit: Int) {
    values(limit: $limit) {
      id
      index
      submittedAt
    }
  }
`;

export const CALCULATIONS = /* GraphQL */ `
  query Calculations($limit: Int) {
    calculations(limit: $limit) {
      index
      status
      digits
      preview
    }
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
