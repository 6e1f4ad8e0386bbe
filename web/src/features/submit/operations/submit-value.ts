import { graphql } from '../../../gql';

/**
 * Stores the index and starts its calculation. The reply carries what the list shows
 * (CalculationItem), so the entry appears at once; a cached result comes back DONE.
 */
export const SubmitValueMutation = graphql(`
  mutation SubmitValue($index: Int!) {
    submitValue(index: $index) {
      index
      status
      digits
      preview
      ...CalculationItem
    }
  }
`);
