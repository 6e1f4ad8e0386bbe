import { memo } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../../../gql';
import { formatDuration, formatInteger } from '../../../lib/format';
import { PendingSince } from './pending-since';
import { ResultValue } from './result-value';

/** What one entry of "Calculated values" shows; never `value` itself (see ResultValue). */
export const CalculationItemFragment = graphql(`
  fragment CalculationItem on Calculation {
    index
    status
    digits
    preview
    computeMs
    updatedAt
    error
  }
`);

interface CalculationItemProps {
  calculation: FragmentType<typeof CalculationItemFragment>;
}

/** One index and its result: working (and for how long), the value, or why it failed. */
export const CalculationItem = memo(function CalculationItem(props: CalculationItemProps) {
  const calculation = getFragmentData(CalculationItemFragment, props.calculation);
  const { index, status } = calculation;
  return (
    <li
      className={`calc calc-${status.toLowerCase()}`}
      data-testid="calculation"
      data-index={index}
      data-status={status}
    >
      <p className="calc-name">
        F({formatInteger(index)}){status === 'DONE' ? ' =' : ''}
      </p>
      {status === 'PENDING' && <PendingSince since={calculation.updatedAt} />}
      {status === 'DONE' && (
        <>
          <ResultValue index={index} digits={calculation.digits} preview={calculation.preview ?? ''} />
          {calculation.computeMs != null && (
            <p className="calc-meta">computed in {formatDuration(calculation.computeMs)}</p>
          )}
        </>
      )}
      {status === 'FAILED' && <p className="calc-failed">Failed: {calculation.error ?? 'no reason given'}</p>}
    </li>
  );
});
