import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import type { MockLink } from '@apollo/client/testing';
import { renderWithApollo } from '../../../test/apollo';
import { calculationData } from '../../../test/calculations';
import { CalculationsQuery } from '../operations/calculations';
import { FeedCursorQuery } from '../operations/feed-cursor';
import { CalculationsPanel } from './calculations-panel';

const minuteAgo = new Date(Date.now() - 61_000).toISOString();

type MockedResponse = MockLink.MockedResponse;

const feedAt = (feedCursor: string): MockedResponse => ({
  request: { query: FeedCursorQuery },
  result: { data: { feedCursor } },
});
const listOf = (calculations: ReturnType<typeof calculationData>[]): MockedResponse => ({
  request: { query: CalculationsQuery, variables: { limit: LIST_FETCH_LIMIT } },
  result: { data: { calculations } },
});

/** The panel, whose server says the feed is at 7:10, then answers the list with `calculations`. */
function setup(calculations: ReturnType<typeof calculationData>[], ...more: MockedResponse[]) {
  return renderWithApollo(<CalculationsPanel />, [feedAt('7:10'), listOf(calculations), ...more]);
}

/** A result as the feed sends it: with its position. */
const event = (cursor: string, ...args: Parameters<typeof calculationData>) => ({
  valueCalculated: { ...calculationData(...args), cursor },
});

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
    server.push('ValueCalculated', event('7:11', 40, 'DONE', { preview: '102334155', computeMs: 3 }));

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
    server.push('ValueCalculated', event('7:11', 12, 'DONE', { preview: '144' }));
    await screen.findByText('F(12) =');
    expect(screen.getAllByTestId('calculation').map((el) => el.dataset.index)).toEqual(['12', '5']);
  });

  it('reads the feed position before the list, and subscribes from it once the list has answered', async () => {
    const { server } = setup([calculationData(5, 'DONE', { preview: '5' })]);
    await screen.findByText('F(5) =');
    await expect.poll(() => server.subscribed('ValueCalculated')).toBe(true);
    expect(server.variables('ValueCalculated')).toEqual({ after: '7:10' });
  });

  it('resumes from the last result it applied when the socket drops, and applies a replayed one once', async () => {
    const { server, connection } = setup([calculationData(40, 'PENDING', { updatedAt: minuteAgo })]);
    await screen.findByText('F(40)');
    await expect.poll(() => server.subscribed('ValueCalculated')).toBe(true);
    act(() => connection.set({ state: 'live', failures: 0 }));
    server.push('ValueCalculated', event('7:12', 41, 'DONE', { preview: '165580141' }));
    await screen.findByText('F(41) =');

    act(() => connection.set({ state: 'reconnecting', failures: 0 }));
    await expect.poll(() => server.variables('ValueCalculated')).toEqual({ after: '7:12' });
    // The new socket's replay overlaps what was applied: nothing is applied twice.
    server.push('ValueCalculated', event('7:12', 41, 'DONE', { preview: '165580141' }));
    server.push('ValueCalculated', event('7:13', 40, 'DONE', { preview: '102334155' }));
    expect(await within(entry(40)).findByTestId('value')).toHaveTextContent('102334155');
    expect(screen.getAllByTestId('calculation').map((el) => el.dataset.index)).toEqual(['41', '40']);
  });

  it('reads the position and the list again when the feed no longer reaches back (CURSOR_EXPIRED)', async () => {
    const { server } = setup(
      [calculationData(5, 'DONE', { preview: '5' })],
      feedAt('9:1'),
      listOf([calculationData(8, 'DONE', { preview: '21' }), calculationData(5, 'DONE', { preview: '5' })]),
    );
    await screen.findByText('F(5) =');
    await expect.poll(() => server.subscribed('ValueCalculated')).toBe(true);
    server.fail('ValueCalculated', 'CURSOR_EXPIRED');
    await screen.findByText('F(8) =');
    await expect.poll(() => server.variables('ValueCalculated')).toEqual({ after: '9:1' });
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
