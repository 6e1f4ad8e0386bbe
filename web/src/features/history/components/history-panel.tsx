import { useQuery } from '@apollo/client/react';
import { Pager, usePage } from '../../../components/pager';
import { LIST_FETCH_LIMIT, PAGE_SIZE } from '../../../lib/lists';
import { useOlderEntries } from '../../../lib/use-older-entries';
import { useLiveSubmissions } from '../hooks/use-live-submissions';
import { ValuesQuery } from '../operations/values';
import { SubmissionItem } from './submission-item';
import './history-panel.css';

/** "Indexes I have seen": every submission, newest first, live, a page at a time, older ones on demand. */
export function HistoryPanel() {
  const { data, loading, error, fetchMore } = useQuery(ValuesQuery, { variables: { limit: LIST_FETCH_LIMIT } });
  const items = data?.values ?? [];
  useLiveSubmissions(items[0]?.id, data !== undefined || error !== undefined);
  const paging = usePage(items.length, PAGE_SIZE);

  const more = useOlderEntries(items.length, items.at(-1)?.id, async () => {
    const { data: older } = await fetchMore({ variables: { limit: LIST_FETCH_LIMIT, before: items.at(-1)?.id } });
    return { count: older?.values.length ?? 0, last: older?.values.at(-1)?.id ?? items.at(-1)?.id };
  });

  return (
    <section className="card panel" aria-labelledby="history-heading" data-testid="history">
      <h2 id="history-heading">Indexes I have seen</h2>
      {error && (
        <p role="alert" className="inline-error">
          Could not load the submitted indexes: {error.message}
        </p>
      )}
      {loading && !data && <p className="muted">Loading…</p>}
      {data && items.length === 0 && <p className="muted">No index submitted yet.</p>}
      <ol className="plain-list submission-list" aria-labelledby="history-heading">
        {items.slice(paging.start, paging.end).map((item) => (
          <SubmissionItem key={item.id} submission={item} />
        ))}
      </ol>
      <Pager label="Indexes I have seen" total={items.length} {...paging} more={more} />
    </section>
  );
}
