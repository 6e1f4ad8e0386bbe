import { memo } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../../../gql';
import { formatInteger, formatTime } from '../../../lib/format';

export const SubmissionItemFragment = graphql(`
  fragment SubmissionItem on Submission {
    id
    index
    submittedAt
  }
`);

/** One submitted index and when it was submitted. */
export const SubmissionItem = memo(function SubmissionItem(props: {
  submission: FragmentType<typeof SubmissionItemFragment>;
}) {
  const { index, submittedAt } = getFragmentData(SubmissionItemFragment, props.submission);
  return (
    <li className="submission" data-testid="submission" data-index={index}>
      <span className="submission-index">{formatInteger(index)}</span>
      <time className="submission-time" dateTime={submittedAt}>
        {formatTime(submittedAt)}
      </time>
    </li>
  );
});
