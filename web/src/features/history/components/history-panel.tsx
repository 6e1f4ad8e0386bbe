import { useQuery } from '@apollo/client/react';
import { LiveList } from '../../../components/live-list';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import { useLiveSubmissions } from '../hooks/use-live-submissions';
import { ValuesQuery } from '../operations/values';
import { SubmissionItem } from './submission-item';
import './history-panel.css';

/** "Indexes I have seen": every submission, newest first, live, a page at a time, older ones on demand. */
export function HistoryPanel() {
  const { data, loading, error, fetchMore, refetch } = useQuery(ValuesQuery, {
    variables: { limit: LIST_FETCH_LIMIT },
  });
  const items = data?.values ?? [];
  useLiveSubmissions(items[0]?.id, data !== undefined || error !== undefined, async () => {
    const { data: reloaded } = await refetch();
    return reloaded?.values[0]?.id;
  });

  return (
    <LiveList
      title="Indexes I have seen"
      testId="history"
      listClassName="submission-list"
      items={items}
      loading={loading && !data}
      error={error}
      what="the submitted indexes"
      empty="No index submitted yet."
      keyOf={(item) => item.id}
      render={(item) => <SubmissionItem submission={item} />}
      loadOlder={async (last) =>
        (await fetchMore({ variables: { limit: LIST_FETCH_LIMIT, before: last.id } })).data?.values
      }
    />
  );
}
