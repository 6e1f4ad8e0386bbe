import { Fragment, useId, type Key, type ReactNode } from 'react';
import { PAGE_SIZE } from '../lib/lists';
import { useOlderEntries } from '../lib/use-older-entries';
import { Pager, usePage } from './pager';

interface LiveListProps<T> {
  title: string;
  /** For the browser tests and the styles: `calculations`, `history`. */
  testId: string;
  listClassName: string;
  items: readonly T[];
  /** The first answer has not come yet. */
  loading: boolean;
  error?: { message: string };
  /** What failed, for the alert: "the calculated values". */
  what: string;
  empty: ReactNode;
  keyOf: (item: T) => Key;
  /** One row: an `<li>`. */
  render: (item: T) => ReactNode;
  /** The next page of entries after `last` (fetchMore with `before`). */
  loadOlder: (last: T) => Promise<readonly T[] | undefined>;
}

/**
 * One of the page's live lists: a card with its heading, the first answer's state, one page of
 * rows at a time, and "Older" past the cached entries to the server's. Both panels are this.
 */
export function LiveList<T>(props: LiveListProps<T>) {
  const { title, testId, listClassName, items, loading, error, what, empty, keyOf, render, loadOlder } = props;
  const headingId = useId();
  const paging = usePage(items.length, PAGE_SIZE);
  const last = items.at(-1);
  const more = useOlderEntries(items.length, last && keyOf(last), async () => {
    const page = (last && (await loadOlder(last))) || [];
    return { count: page.length, last: keyOf(page.at(-1) ?? last!) };
  });
  return (
    <section className="card panel" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId}>{title}</h2>
      {error && (
        <p role="alert" className="inline-error">
          Could not load {what}: {error.message}
        </p>
      )}
      {loading && <p className="muted">Loading…</p>}
      {!loading && !error && items.length === 0 && <p className="muted">{empty}</p>}
      <ol className={`plain-list ${listClassName}`} aria-labelledby={headingId}>
        {items.slice(paging.start, paging.end).map((item) => (
          <Fragment key={keyOf(item)}>{render(item)}</Fragment>
        ))}
      </ol>
      <Pager label={title} total={items.length} {...paging} more={more} />
    </section>
  );
}
