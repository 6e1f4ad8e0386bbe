import { useQuery } from '@apollo/client/react';
import { Pager, usePage } from '../../../components/pager';
import { LIST_FETCH_LIMIT, PAGE_SIZE } from '../../../lib/lists';
import { useOlderEntries } from '../../../lib/use-older-entries';
import { useLiveCalculations } from '../hooks/use-live-calculations';
import { CalculationsQuery } from '../operations/calculations';
import { CalculationItem } from './calculation-item';
import './calculations.css';

/** "Calculated values": every result, most recently submitted first, live, a page at a time, older ones on demand. */
export function CalculationsPanel() {
  const { data, loading, error, fetchMore } = useQuery(CalculationsQuery, { variables: { limit: LIST_FETCH_LIMIT } });
  useLiveCalculations();
  const items = data?.calculations ?? [];
  const paging = usePage(items.length, PAGE_SIZE);
  const more = useOlderEntries(items.length, items.at(-1)?.index, async () => {
    const { data: older } = await fetchMore({
      variables: { limit: LIST_FETCH_LIMIT, before: items.at(-1)?.index },
    });
    return { count: older?.calculations.length ?? 0, last: older?.calculations.at(-1)?.index ?? items.at(-1)?.index };
  });

  return (
    <section className="card panel" aria-labelledby="calculations-heading" data-testid="calculations">
      <h2 id="calculations-heading">Calculated values</h2>
      {error && (
        <p role="alert" className="inline-error">
          Could not load the calculated values: {error.message}
        </p>
      )}
      {loading && !data && <p className="muted">Loading…</p>}
      {data && items.length === 0 && <p className="muted">Nothing calculated yet. Submit an index above.</p>}
      <ol className="plain-list calc-list" aria-labelledby="calculations-heading">
        {items.slice(paging.start, paging.end).map((item) => (
          <CalculationItem key={item.index} calculation={item} />
        ))}
      </ol>
      <Pager label="Calculated values" total={items.length} {...paging} more={more} />
    </section>
  );
}
