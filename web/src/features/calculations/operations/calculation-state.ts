import { graphql } from '../../../gql';

/** The current state of one index, asked for again when its entry has stayed pending a while. */
export const CalculationStateQuery = graphql(`
  query CalculationState($index: Int!) {
    calculation(index: $index) {
      index
      ...CalculationItem
    }
  }
`);
