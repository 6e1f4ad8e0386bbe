import { graphql } from '../../../gql';

/** Every digit of one result, asked for only when a person wants them ("show all", "copy"). */
export const CalculationValueQuery = graphql(`
  query CalculationValue($index: Int!) {
    calculation(index: $index) {
      index
      value
    }
  }
`);
