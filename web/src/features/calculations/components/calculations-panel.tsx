import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { LiveList } from '../../../components/live-list';
import { LIST_FETCH_LIMIT } from '../../../lib/lists';
import { useLiveCalculations } from '../hooks/use-live-calculations';
import { CalculationsQuery } from '../operations/calculations';
import { FeedCursorQuery } from '../operations/feed-cursor';
import { CalculationItem } from './calculation-item';
import './calculations.css';

/** "Calculated values": every result, most recently submitted first, live, a page at a time, older ones on demand. */
export function CalculationsPanel() {
  // The feed's position first, then the list: every result finished after that read comes
  // through the feed, whether or not the list already had it.
  const feed = useQuery(FeedCursorQuery, { fetchPolicy: 'network-only' });
  const list = useQuery(CalculationsQuery, { variables: { limit: LIST_FETCH_LIMIT }, skip: !feed.data });
  const items = list.data?.calculations ?? [];
  // Where the feed starts: the position read before the list, once the list has answered.
  const [from, setFrom] = useState<string>();
  if (from === undefined && list.data && feed.data) setFrom(feed.data.feedCursor);
  useLiveCalculations(from, () => {
    void (async () => {
      const { data } = await feed.refetch();
      await list.refetch();
      // Only now: a result applied before the list's new answer could be undone by it.
      setFrom(data?.feedCursor);
    })();
  });

  return (
    <LiveList
      title="Calculated values"
      testId="calculations"
      listClassName="calc-list"
      items={items}
      loading={!list.data && !feed.error && !list.error}
      error={feed.error ?? list.error}
      what="the calculated values"
      empty="Nothing calculated yet. Submit an index above."
      keyOf={(item) => item.index}
      render={(item) => <CalculationItem calculation={item} />}
      loadOlder={async (last) =>
        (await list.fetchMore({ variables: { limit: LIST_FETCH_LIMIT, before: last.index } })).data?.calculations
      }
    />
  );
}
