import { gql } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { addSubmission } from '../lib/cache-lists';
import { createCache } from './cache';

const ValuesPage = gql`
  query Values($limit: Int!, $before: ID) {
    values(limit: $limit, before: $before) {
      id
      index
      submittedAt
    }
  }
`;
const SubmissionFields = gql`
  fragment SubmissionFields on Submission {
    id
    index
    submittedAt
  }
`;

/** Submission `id`, stored at second `id` of the day unless `at` says otherwise (the server orders by time, then id). */
const submission = (id: number, at = id) => ({
  __typename: 'Submission',
  id: String(id),
  index: 100 + id,
  submittedAt: new Date(Date.UTC(2026, 11, 1, 0, 0, at)).toISOString(),
});

function setup() {
  const cache = createCache();
  /** What a page of `values` read from the server writes. */
  const answer = (...ids: number[]) =>
    cache.writeQuery({
      query: ValuesPage,
      variables: { limit: 100 },
      data: { values: ids.map((id) => submission(id)) },
    });
  /** What a valueSubmitted event does to "Indexes I have seen" (use-live-submissions.ts). */
  const event = (id: number, at = id) => {
    cache.writeFragment({ fragment: SubmissionFields, data: submission(id, at) });
    addSubmission(cache, { __typename: 'Submission', id: String(id) });
  };
  /** What "Older" past the end of the list writes: the page after submission `before`. */
  const olderPage = (before: number, ...ids: number[]) =>
    cache.writeQuery({
      query: ValuesPage,
      variables: { limit: 100, before: String(before) },
      data: { values: ids.map((id) => submission(id)) },
    });
  const listed = () =>
    cache
      .readQuery<{ values: { id: string }[] }>({ query: ValuesPage, variables: { limit: 100 } })
      ?.values.map((s) => Number(s.id));
  return { answer, event, olderPage, listed };
}

describe('the cached lists', () => {
  it('keep on top a live entry that came while a refetch read before it was on its way', () => {
    const { answer, event, listed } = setup();
    answer(2, 1);
    event(3);
    answer(2, 1);
    expect(listed()).toEqual([3, 2, 1]);
  });

  it('take a fresh page as it is, and keep after it the entries it no longer reaches', () => {
    const { answer, listed } = setup();
    answer(3, 2);
    answer(5, 4, 3);
    expect(listed()).toEqual([5, 4, 3, 2]);
  });

  it('hold each entry once when the answer has it too', () => {
    const { answer, event, listed } = setup();
    event(3);
    answer(3, 2);
    event(3);
    expect(listed()).toEqual([3, 2]);
  });

  it('append an older page, and keep it when a refetch of the first page comes', () => {
    const { answer, olderPage, event, listed } = setup();
    answer(6, 5, 4);
    olderPage(4, 3, 2, 1);
    expect(listed()).toEqual([6, 5, 4, 3, 2, 1]);
    event(7);
    answer(7, 6, 5);
    expect(listed()).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('put a live submission where the server lists it, whatever order the events arrive in', () => {
    const { answer, event, listed } = setup();
    answer(2, 1);
    // 3 was stored before 4 on another gateway, whose announcement went out later.
    event(4);
    event(3);
    expect(listed()).toEqual([4, 3, 2, 1]);
    // Stored in the same millisecond: the higher id is the newer, as on the server.
    event(6, 5);
    event(5, 5);
    expect(listed()).toEqual([6, 5, 4, 3, 2, 1]);
    answer(6, 5, 4, 3, 2, 1);
    expect(listed()).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('keep at most 500 entries from live events and refetches, and every older page asked for', () => {
    const { answer, event, olderPage, listed } = setup();
    answer(...Array.from({ length: 100 }, (_, i) => 1_000 - i));
    for (let id = 1_001; id <= 1_600; id++) event(id);
    expect(listed()).toHaveLength(500);
    expect(listed()?.[0]).toBe(1_600);
    expect(listed()?.at(-1)).toBe(1_101);
    // "Older" past the end: kept, beyond the cap.
    olderPage(1_101, ...Array.from({ length: 100 }, (_, i) => 1_100 - i));
    expect(listed()).toHaveLength(600);
    answer(...Array.from({ length: 100 }, (_, i) => 1_600 - i));
    expect(listed()).toHaveLength(600);
  });
});
