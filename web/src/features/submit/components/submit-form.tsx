import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { moveToTop } from '../../../lib/cache-lists';
import { describeResult } from '../../../lib/describe-result';
import { formatInteger } from '../../../lib/format';
import { LimitsQuery } from '../operations/limits';
import { SubmitValueMutation } from '../operations/submit-value';
import { parseIndex } from '../parse-index';
import './submit-form.css';

/** A refusal worded for people: the server's own message for bad input, a plain one for the network. */
function describeFailure(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const message = error.errors[0]?.message ?? 'The server refused the index.';
    return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
  }
  return 'Could not reach the server. Check the connection and try again.';
}

/** The index field: refuses bad input before sending, shows the server's refusals the same way. */
export function SubmitForm() {
  const ids = { input: useId(), hint: useId(), error: useId() };
  const { data: limits } = useQuery(LimitsQuery);
  const maxIndex = limits?.limits.maxIndex;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const announce = useAnnounce();
  const [submitValue, { loading }] = useMutation(SubmitValueMutation, {
    // Most recently submitted first, even when the result was already cached.
    update: (cache, { data }) => {
      if (data) moveToTop(cache, 'calculations', { __typename: 'Calculation', index: data.submitValue.index });
    },
  });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseIndex(text, maxIndex);
    if (!parsed.ok) {
      setError(parsed.message);
      input.current?.focus();
      return;
    }
    setError(null);
    try {
      const { data } = await submitValue({ variables: { index: parsed.index } });
      setText('');
      // A cached result comes back DONE at once and no event follows: say it here.
      if (data) announce(describeResult(data.submitValue));
    } catch (failure) {
      setError(describeFailure(failure));
      input.current?.focus();
    }
  }

  function onChange(next: string) {
    setText(next);
    // Once a message shows, it follows the typing, so it goes away as soon as the input is right.
    if (error === null) return;
    const parsed = parseIndex(next, maxIndex);
    setError(parsed.ok || next.trim() === '' ? null : parsed.message);
  }

  return (
    <form className="card submit-form" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={loading}>
      <label htmlFor={ids.input}>Fibonacci index</label>
      <div className="submit-row">
        <input
          ref={input}
          id={ids.input}
          name="index"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          enterKeyHint="go"
          spellCheck={false}
          value={text}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error ? `${ids.error} ${ids.hint}` : ids.hint}
          data-testid="index-input"
        />
        <button type="submit" data-testid="submit">
          Submit
        </button>
      </div>
      <p id={ids.hint} className="hint">
        A whole number from 0 to {maxIndex === undefined ? '…' : formatInteger(maxIndex)}. F(0) = 0, F(1) = 1.
      </p>
      {error && (
        <p id={ids.error} role="alert" className="field-error" data-testid="index-error">
          {error}
        </p>
      )}
    </form>
  );
}
