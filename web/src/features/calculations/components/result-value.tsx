import { useApolloClient, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { formatInteger } from '../../../lib/format';
import { CalculationValueQuery } from '../operations/calculation-value';

interface ResultValueProps {
  index: number;
  digits: number | null;
  /** The whole value when short, else head…tail (the server makes it). */
  preview: string;
}

/**
 * A finished value. Short ones are shown whole; long ones (F(10^6) has 208,988 digits) as their
 * size and head…tail, with every digit fetched only when asked for: "show all" or "copy".
 */
export function ResultValue({ index, digits, preview }: ResultValueProps) {
  const name = `F(${formatInteger(index)})`;
  const whole = !preview.includes('…');
  const [expanded, setExpanded] = useState(false);
  const fullId = useId();
  const client = useApolloClient();
  const full = useQuery(CalculationValueQuery, { variables: { index }, skip: whole || !expanded });
  const value = full.data?.calculation?.value;

  const fetchValue = async () => {
    if (whole) return preview;
    const { data } = await client.query({ query: CalculationValueQuery, variables: { index } });
    if (!data?.calculation?.value) throw new Error(`${name} has no value (any more)`);
    return data.calculation.value;
  };

  if (whole) {
    return (
      <div className="value">
        <output className="value-digits" data-testid="value">
          {preview}
        </output>
        <CopyButton what={name} getText={fetchValue} />
      </div>
    );
  }

  const [head, tail] = preview.split('…');
  return (
    <div className="value value-long">
      <p className="value-size" data-testid="digit-count">
        {formatInteger(digits ?? 0)} digits
      </p>
      {expanded && value ? (
        <pre id={fullId} className="value-full" tabIndex={0} aria-label={`All digits of ${name}`} data-testid="value">
          {value}
        </pre>
      ) : (
        <p id={fullId} className="value-digits" data-testid="value-preview">
          {head}
          <span aria-label="digits left out">…</span>
          {tail}
        </p>
      )}
      {expanded && full.loading && <p className="muted">Loading all {formatInteger(digits ?? 0)} digits…</p>}
      {expanded && full.error && (
        <p role="alert" className="inline-error">
          Could not load the digits of {name}: {full.error.message}
        </p>
      )}
      <div className="value-actions">
        <button
          type="button"
          className="button-small"
          aria-expanded={expanded}
          aria-controls={fullId}
          onClick={() => setExpanded(!expanded)}
          aria-label={`${expanded ? 'Show less' : 'Show all'} digits of ${name}`}
        >
          {expanded ? 'Show less' : 'Show all'}
        </button>
        <CopyButton what={`all digits of ${name}`} getText={fetchValue} />
      </div>
    </div>
  );
}
