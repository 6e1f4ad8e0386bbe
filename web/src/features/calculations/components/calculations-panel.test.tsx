import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import { renderWithApollo } from '../../../test/apollo';
import { calculationData } from '../../../test/calculations';
import { CalculationsQuery } from '../operations/calculations';
import { CalculationsPanel } from './calculations-panel';

const minuteAgo = new Date(Date.now() - 61_000).toISOString();

function setup(calculations: ReturnType<typeof calculationData>[]) {
  return renderWithApollo(<CalculationsPanel />, [
    {
      request: { query: CalculationsQuery, variables: { limit: LIST_FETCH_LIMIT } },
      result: { data: { calculations } },
    },
  ]);
}

function entry(index: number): HTMLElement {
  const found = screen.getAllByTestId('calculation').find((el) => el.dataset.index === String(index));
  if (!found) throw new Error(`no entry for F(${index})`);
  return found;
}

describe('CalculationsPanel', () => {
  it('shows a pending entry working and for how long, then its value when the result arrives live', async () => {
    const { server } = setup([calculationData(40, 'PENDING', { updatedAt: minuteAgo })]);
    await screen.findByText('F(40)');
    expect(entry(40)).toHaveTextContent(/Calculating… 1 min \d+ s/);
    expect(entry(40)).toHaveAttribute('data-status', 'PENDING');

    await expect.poll(() => server.subscribed('ValueCalculated')).toBe(true);
    server.push('ValueCalculated', {
      valueCalculated: calculationData(40, 'DONE', { preview: '102334155', computeMs: 3 }),
    });

    expect(await within(entry(40)).findByTestId('value')).toHaveTextContent('102334155');
    expect(entry(40)).toHaveAttribute('data-status', 'DONE');
    expect(entry(40)).not.toHaveTextContent('Calculating');
    // Screen readers hear about it, politely.
    await expect.poll(() => screen.getByTestId('announcer').textContent).toContain('F(40) = 102334155.');
  });

  it('puts a result for an index not listed yet on top', async () => {
    const { server } = setup([calculationData(5, 'DONE', { preview: '5' })]);
    await screen.findByText('F(5) =');
    await expect.poll(() => server.subscribed('ValueCalculated')).toBe(true);
    server.push('ValueCalculated', { valueCalculated: calculationData(12, 'DONE', { preview: '144' }) });
    await screen.findByText('F(12) =');
    expect(screen.getAllByTestId('calculation').map((el) => el.dataset.index)).toEqual(['12', '5']);
  });

  it('renders one page at a time however many results there are', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => calculationData(1000 - i, 'DONE', { preview: '1' }));
    setup(many);
    await screen.findByText('F(1,000) =');
    expect(screen.getAllByTestId('calculation')).toHaveLength(20);
    expect(screen.getByRole('navigation', { name: 'Calculated values pages' })).toHaveTextContent('1–20 of 1,000');
  });
});
