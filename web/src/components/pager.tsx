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

interface PagerProps {
  /** What is paged, for the navigation's accessible name: "Calculated values". */
  label: string;
  page: number;
  pageCount: number;
  start: number;
  end: number;
  total: number;
  setPage: (page: number) => void;
}

/** Newer / older buttons around "21–40 of 1,234". Hidden while everything fits on one page. */
export function Pager({ label, page, pageCount, start, end, total, setPage }: PagerProps) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => setPage(0)} disabled={page === 0} aria-label="Newest page">
        «
      </button>
      <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
        Newer
      </button>
      <span className="pager-position">
        {start + 1}–{end} of {total.toLocaleString('en-US')}
      </span>
      <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pageCount - 1}>
        Older
      </button>
    </nav>
  );
}
