import type { SubmissionResolvers } from '../__generated__/resolvers-types.js';

export const Submission: SubmissionResolvers = {
  id: (submission) => submission.id.toString(),
  submittedAt: (submission) => submission.submittedAt.toISOString(),
  // Read at resolve time, not carried in the event: the worker may have finished since.
  calculation: (submission, _args, { calculations }) => calculations.get(submission.index),
};
