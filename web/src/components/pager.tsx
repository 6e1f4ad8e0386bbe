import { useState } from 'react';
import './pager.css';

/** A page of a list that only ever renders `size` rows, however long the list grows. */
export function usePage(total: number, size: number) {
  const [requested, setPage] = useState(0);
  const pageCount = Math.max(1, Math.ceil(total / size));
  // The list can shrink under a page (a refetch); stay on the last page that exists.
  const page = Math.min(requested, pageCount - 1);
  return { page, pageCount, start: page * size, end: Math.min(total, (page + 1) * size), setPage };
}

/** More entries the server holds beyond the cached list, fetched when "Older" goes past its end. */
export interface MoreEntries {
  load: () => Promise<unknown>;
  loading: boolean;
}

interface PagerProps {
  /** What is paged, for the navigation's accessible name: "Calculated values". */
  label: string;
  page: number;
  pageCount: number;
  start: number;
  end: number;
  total: number;
  setPage: (page: number) => void;
  /** Given while the server may hold older entries than the list has. */
  more?: MoreEntries;
}

/**
 * Newer / older buttons around "21–40 of 1,234" ("of 100+" while the server may hold more). On the
 * last page, "Older" loads the next entries from the server, then shows them. Hidden while
 * everything fits on one page.
 */
export function Pager({ label, page, pageCount, start, end, total, setPage, more }: PagerProps) {
  if (pageCount <= 1 && !more) return null;
  const last = page >= pageCount - 1;
  const older = () => {
    if (!last) return setPage(page + 1);
    if (more) void more.load().then(() => setPage(page + 1));
  };
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => setPage(0)} disabled={page === 0} aria-label="Newest page">
        «
      </button>
      <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
        Newer
      </button>
      <span className="pager-position">
        {total === 0 ? 0 : start + 1}–{end} of {total.toLocaleString('en-US')}
        {more ? '+' : ''}
      </span>
      <button type="button" onClick={older} disabled={(last && !more) || more?.loading} aria-busy={more?.loading}>
        {more?.loading ? 'Loading…' : 'Older'}
      </button>
    </nav>
  );
}
