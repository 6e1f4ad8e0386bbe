import type { MockLink } from '@apollo/client/testing';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithApollo } from '../../../test/apollo';
import { LimitsQuery } from '../operations/limits';
import { SubmitValueMutation } from '../operations/submit-value';
import { SubmitForm } from './submit-form';

const limits = {
  request: { query: LimitsQuery },
  result: { data: { limits: { __typename: 'Limits', maxIndex: 1000 } } },
};

function calculation(index: number, status: 'PENDING' | 'DONE', preview: string | null = null) {
  return {
    __typename: 'Calculation',
    index,
    status,
    digits: preview?.length ?? null,
    preview,
    computeMs: status === 'DONE' ? 1 : null,
    updatedAt: new Date().toISOString(),
    error: null,
  };
}

async function setup(...mocks: MockLink.MockedResponse[]) {
  const user = userEvent.setup();
  renderWithApollo(<SubmitForm />, [limits, ...mocks]);
  // The bound comes from the server; wait until the form knows it.
  await screen.findByText(/from 0 to 1,000\./);
  const input = screen.getByLabelText('Fibonacci index');
  return { user, input };
}

describe('SubmitForm', () => {
  it('refuses a negative index before sending, with an alert tied to the field', async () => {
    const { user, input } = await setup();
    await user.type(input, '-5{Enter}');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The index must be 0 or more.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(expect.stringContaining('The index must be 0 or more.'));
  });

  it('refuses what is not a whole number, an empty field, and an index above the server limit', async () => {
    const { user, input } = await setup();
    await user.type(input, '2.5{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('The index must be a whole number from 0 to 1,000.');
    await user.clear(input);
    await user.type(input, '1001{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('The index must be at most 1,000.');
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter an index');
  });

  it('clears the message as soon as the input becomes valid', async () => {
    const { user, input } = await setup();
    await user.type(input, 'x{Enter}');
    expect(screen.getByRole('alert')).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '12');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });

  it("shows the server's refusal inline, as an alert", async () => {
    const { user, input } = await setup({
      request: { query: SubmitValueMutation, variables: { index: 999 } },
      result: {
        errors: [{ message: 'index must be at most 998, got 999', extensions: { code: 'BAD_USER_INPUT' } }],
      },
    });
    await user.type(input, '999{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Index must be at most 998, got 999.');
    expect(input).toHaveValue('999');
  });

  it('sends a valid index on Enter and empties the field for the next one', async () => {
    const { user, input } = await setup({
      request: { query: SubmitValueMutation, variables: { index: 42 } },
      result: { data: { submitValue: calculation(42, 'PENDING') } },
    });
    await user.type(input, ' 042 {Enter}');
    await expect.poll(() => (input as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
