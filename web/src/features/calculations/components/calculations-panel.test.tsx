import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import type { MockLink } from '@apollo/client/testing';
import { renderWithApollo } from '../../../test/apollo';
import { calculationData } from '../../../test/calculations';
import { RECHECK_PENDING_MS } from '../hooks/use-recheck-while-pending';
import { CalculationStateQuery } from '../operations/calculation-state';
import { CalculationsQuery } from '../operations/calculations';
import { CalculationsPanel } from './calculations-panel';

const minuteAgo = new Date(Date.now() - 61_000).toISOString();

type MockedResponse = MockLink.MockedResponse;

function setup(calculations: ReturnType<typeof calculationData>[], ...more: MockedResponse[]) {
  return renderWithApollo(<CalculationsPanel />, [
    {
      request: { query: CalculationsQuery, variables: { limit: LIST_FETCH_LIMIT } },
      result: { data: { calculations } },
    },
    ...more,
  ]);
}

function entry(index: number): HTMLElement {
  const found = screen.getAllByTestId('calculation').find((el) => el.dataset.index === String(index));
  if (!found) throw new Error(`no entry for F(${index})`);
  return found;
}

afterEach(() => {
  vi.useRealTimers();
});

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

  it('asks again for an entry that stays pending, and shows the result whose event it missed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const state = (status: 'PENDING' | 'DONE') => ({
      request: { query: CalculationStateQuery, variables: { index: 50 } },
      result: {
        data: { calculation: calculationData(50, status, status === 'DONE' ? { preview: '12586269025' } : {}) },
      },
    });
    setup([calculationData(50, 'PENDING')], state('PENDING'), state('DONE'));
    await screen.findByText('F(50)');

    // No event comes. A check finds it still pending; the next one finds the result.
    await vi.advanceTimersByTimeAsync(RECHECK_PENDING_MS);
    expect(entry(50)).toHaveAttribute('data-status', 'PENDING');
    await vi.advanceTimersByTimeAsync(RECHECK_PENDING_MS);
    expect(await within(entry(50)).findByTestId('value')).toHaveTextContent('12586269025');
    expect(entry(50)).toHaveAttribute('data-status', 'DONE');
  });

  it('renders one page at a time however many results there are, and keeps at most 500 of them', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => calculationData(1000 - i, 'DONE', { preview: '1' }));
    setup(many);
    await screen.findByText('F(1,000) =');
    expect(screen.getAllByTestId('calculation')).toHaveLength(20);
    // The rest stays on the server, behind "Older" (LIST_CACHE_CAP).
    expect(screen.getByRole('navigation', { name: 'Calculated values pages' })).toHaveTextContent('1–20 of 500+');
  });

  it('loads older results from the server when "Older" goes past the cached list', async () => {
    const newest = Array.from({ length: LIST_FETCH_LIMIT }, (_, i) =>
      calculationData(300 - i, 'DONE', { preview: '1' }),
    );
    setup(newest, {
      request: { query: CalculationsQuery, variables: { limit: LIST_FETCH_LIMIT, before: 201 } },
      result: { data: { calculations: [calculationData(7, 'DONE', { preview: '13' })] } },
    });
    const nav = await screen.findByRole('navigation', { name: 'Calculated values pages' });
    const older = () => within(nav).getByRole('button', { name: 'Older' });
    for (let page = 1; page < 5; page++) fireEvent.click(older());
    expect(nav).toHaveTextContent('81–100 of 100+');

    fireEvent.click(older());
    await expect.poll(() => nav.textContent).toContain('101–101 of 101');
    expect(entry(7)).toHaveTextContent('13');
    expect(older()).toBeDisabled();
  });
});
