import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import { renderWithApollo } from '../../../test/apollo';
import { calculationData } from '../../../test/calculations';
import { CalculationsPanel } from '../../calculations/components/calculations-panel';
import { CalculationsQuery } from '../../calculations/operations/calculations';
import { FeedCursorQuery } from '../../calculations/operations/feed-cursor';
import { ValuesQuery } from '../operations/values';
import { HistoryPanel } from './history-panel';

/** As the server stores them: a higher id was stored later (the list's order is by time, then id). */
const submission = (id: string, index: number) => ({
  __typename: 'Submission',
  id,
  index,
  submittedAt: new Date(Date.UTC(2026, 11, 1) + Number(id) * 1000).toISOString(),
});

const valuesAnswer = (values: ReturnType<typeof submission>[]) => ({
  request: { query: ValuesQuery, variables: { limit: LIST_FETCH_LIMIT } },
  result: { data: { values } },
});

describe('HistoryPanel', () => {
  it('lists submissions newest first, repeats included, and adds those of other tabs live on top', async () => {
    const { server } = renderWithApollo(<HistoryPanel />, [
      valuesAnswer([submission('3', 7), submission('2', 8), submission('1', 7)]),
    ]);
    const indexes = () => screen.getAllByTestId('submission').map((el) => el.dataset.index);
    await expect.poll(indexes).toEqual(['7', '8', '7']);

    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('4', 1234), calculation: null } });
    await expect.poll(indexes).toEqual(['1234', '7', '8', '7']);
    expect(screen.getAllByTestId('submission')[0]).toHaveTextContent('1,234');

    // The same event twice (a refetch raced it) is still one row.
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('4', 1234), calculation: null } });
    await expect.poll(indexes).toEqual(['1234', '7', '8', '7']);
  });

  it('subscribes once the list has answered, asking for what was stored after its newest submission', async () => {
    const { server } = renderWithApollo(<HistoryPanel />, [valuesAnswer([submission('41', 7), submission('40', 8)])]);
    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    expect(server.variables('ValueSubmitted')).toEqual({ after: '41' });
  });

  it('after a drop, resumes from the same point (the server replays; an announcement applied twice changes nothing)', async () => {
    const { server, connection } = renderWithApollo(<HistoryPanel />, [valuesAnswer([submission('41', 7)])]);
    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    act(() => connection.set({ state: 'live', failures: 0 }));
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('43', 9), calculation: null } });
    // Announcements from two gateways, out of id order.
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('42', 8), calculation: null } });
    const indexes = () => screen.getAllByTestId('submission').map((el) => el.dataset.index);
    await expect.poll(indexes).toEqual(['9', '8', '7']);

    act(() => connection.set({ state: 'reconnecting', failures: 0 }));
    expect(server.variables('ValueSubmitted')).toEqual({ after: '41' });
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('42', 8), calculation: null } });
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('43', 9), calculation: null } });
    server.push('ValueSubmitted', { valueSubmitted: { ...submission('44', 10), calculation: null } });
    await expect.poll(indexes).toEqual(['10', '9', '8', '7']);
  });

  it('reloads the list when more was stored since than a replay covers (CURSOR_EXPIRED), then goes on after its newest', async () => {
    const { server } = renderWithApollo(<HistoryPanel />, [
      valuesAnswer([submission('41', 7)]),
      valuesAnswer([submission('250', 12), submission('249', 11)]),
    ]);
    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    server.fail('ValueSubmitted', 'CURSOR_EXPIRED');
    // The list is what the server has now (older entries come back through "Older").
    await expect.poll(() => screen.getAllByTestId('submission').map((el) => el.dataset.index)).toEqual(['12', '11']);
    await expect.poll(() => server.variables('ValueSubmitted')).toEqual({ after: '250' });
  });

  it('asks for every recent submission when nothing was submitted yet', async () => {
    const { server } = renderWithApollo(<HistoryPanel />, [valuesAnswer([])]);
    await screen.findByText('No index submitted yet.');
    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    expect(server.variables('ValueSubmitted')).toEqual({ after: '0' });
  });

  it('moves an index submitted in another tab to the top of "Calculated values", without undoing a shown result', async () => {
    const minuteAgo = new Date(Date.now() - 61_000).toISOString();
    const { server } = renderWithApollo(
      <>
        <CalculationsPanel />
        <HistoryPanel />
      </>,
      [
        {
          request: { query: CalculationsQuery, variables: { limit: LIST_FETCH_LIMIT } },
          result: {
            data: {
              calculations: [
                calculationData(3, 'DONE', { preview: '2' }),
                calculationData(7, 'DONE', { preview: '13' }),
              ],
            },
          },
        },
        valuesAnswer([submission('2', 7), submission('1', 3)]),
        { request: { query: FeedCursorQuery }, result: { data: { feedCursor: '1:0' } } },
      ],
    );
    await screen.findByText('F(7) =');
    const calculations = () => screen.getAllByTestId('calculation');
    expect(calculations().map((el) => el.dataset.index)).toEqual(['3', '7']);

    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    // The submission event overtook nothing here: its PENDING state is older than the DONE one.
    server.push('ValueSubmitted', {
      valueSubmitted: { ...submission('99', 7), calculation: calculationData(7, 'PENDING', { updatedAt: minuteAgo }) },
    });
    await expect.poll(() => calculations().map((el) => el.dataset.index)).toEqual(['7', '3']);
    const seven = calculations()[0]!;
    expect(seven).toHaveAttribute('data-status', 'DONE');
    expect(within(seven).getByTestId('value')).toHaveTextContent('13');
    await expect.poll(() => screen.getAllByTestId('submission').map((el) => el.dataset.index)).toEqual(['7', '7', '3']);
  });

  it('loads older submissions from the server when "Older" goes past the cached list, until there are no more', async () => {
    // The newest 100 (ids 200..101), then the 3 older ones the server still holds.
    const newest = Array.from({ length: LIST_FETCH_LIMIT }, (_, i) => submission(String(200 - i), 200 - i));
    const older = [submission('100', 100), submission('99', 99), submission('98', 98)];
    renderWithApollo(<HistoryPanel />, [
      valuesAnswer(newest),
      {
        request: { query: ValuesQuery, variables: { limit: LIST_FETCH_LIMIT, before: '101' } },
        result: { data: { values: older } },
      },
    ]);
    const nav = await screen.findByRole('navigation', { name: 'Indexes I have seen pages' });
    const olderButton = () => within(nav).getByRole('button', { name: 'Older' });
    expect(nav).toHaveTextContent('1–20 of 100+');
    for (let page = 1; page < 5; page++) fireEvent.click(olderButton());
    expect(nav).toHaveTextContent('81–100 of 100+');
    expect(olderButton()).toBeEnabled();

    fireEvent.click(olderButton());
    await expect.poll(() => nav.textContent).toContain('101–103 of 103');
    expect(screen.getAllByTestId('submission').map((el) => el.dataset.index)).toEqual(['100', '99', '98']);
    // A shorter answer than asked for was the end: nothing more to load.
    expect(nav).not.toHaveTextContent('+');
    expect(olderButton()).toBeDisabled();
  });
});
