import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import { renderWithApollo } from '../../../test/apollo';
import { ValuesQuery } from '../operations/values';
import { HistoryPanel } from './history-panel';

const submission = (id: string, index: number) => ({
  __typename: 'Submission',
  id,
  index,
  submittedAt: new Date().toISOString(),
});

describe('HistoryPanel', () => {
  it('lists submissions newest first, repeats included, and adds those of other tabs live on top', async () => {
    const { server } = renderWithApollo(<HistoryPanel />, [
      {
        request: { query: ValuesQuery, variables: { limit: LIST_FETCH_LIMIT } },
        result: { data: { values: [submission('3', 7), submission('2', 8), submission('1', 7)] } },
      },
    ]);
    const indexes = () => screen.getAllByTestId('submission').map((el) => el.dataset.index);
    await expect.poll(indexes).toEqual(['7', '8', '7']);

    await expect.poll(() => server.subscribed('ValueSubmitted')).toBe(true);
    server.push('ValueSubmitted', { valueSubmitted: submission('4', 1234) });
    await expect.poll(indexes).toEqual(['1234', '7', '8', '7']);
    expect(screen.getAllByTestId('submission')[0]).toHaveTextContent('1,234');

    // The same event twice (a refetch raced it) is still one row.
    server.push('ValueSubmitted', { valueSubmitted: submission('4', 1234) });
    await expect.poll(indexes).toEqual(['1234', '7', '8', '7']);
  });
});
