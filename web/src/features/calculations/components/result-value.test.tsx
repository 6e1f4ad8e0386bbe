import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithApollo } from '../../../test/apollo';
import { CalculationValueQuery } from '../operations/calculation-value';
import { ResultValue } from './result-value';

// Shaped like F(1,000,000): 208,988 digits, shown as the server's 20-digit head and tail.
const value = `19532821287077577316${'0123456789'.repeat(20_895).slice(0, 208_948)}68996526838242546875`;
const preview = `${value.slice(0, 20)}…${value.slice(-20)}`;
const fullValue = {
  request: { query: CalculationValueQuery, variables: { index: 1_000_000 } },
  result: { data: { calculation: { __typename: 'Calculation', index: 1_000_000, value } } },
};

function setup(mocks = [fullValue]) {
  const user = userEvent.setup();
  const view = renderWithApollo(<ResultValue index={1_000_000} digits={value.length} preview={preview} />, mocks);
  return { user, ...view };
}

describe('ResultValue', () => {
  it('summarises a long value as its digit count and head…tail, without fetching the digits', () => {
    setup([]);
    expect(value).toHaveLength(208_988);
    expect(screen.getByTestId('digit-count')).toHaveTextContent('208,988 digits');
    expect(screen.getByTestId('value-preview')).toHaveTextContent('19532821287077577316…68996526838242546875');
    expect(screen.queryByTestId('value')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show all digits of F(1,000,000)' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
  });

  it('fetches every digit on "show all" and folds them away again', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: /^Show all/ }));
    const all = await screen.findByTestId('value');
    expect(all.textContent).toBe(value);
    expect(all).toHaveAccessibleName('All digits of F(1,000,000)');
    expect(screen.getByRole('button', { name: /^Show less/ })).toHaveAttribute('aria-expanded', 'true');

    await user.click(screen.getByRole('button', { name: /^Show less/ }));
    expect(screen.queryByTestId('value')).not.toBeInTheDocument();
  });

  it('copies every digit, fetching them first, and says so', async () => {
    const { user } = setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(screen.getByRole('button', { name: 'Copy all digits of F(1,000,000)' }));
    await expect.poll(() => writeText.mock.calls[0]?.[0]).toBe(value);
    expect(await screen.findByRole('button', { name: /^Copied/ })).toBeInTheDocument();
  });

  it('shows a short value whole, with nothing to expand', () => {
    renderWithApollo(<ResultValue index={10} digits={2} preview="55" />);
    expect(screen.getByTestId('value')).toHaveTextContent('55');
    expect(screen.queryByRole('button', { name: /^Show all/ })).not.toBeInTheDocument();
  });
});
