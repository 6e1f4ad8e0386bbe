import type { SubmissionResolvers } from '../__generated__/resolvers-types.js';

export const Submission: SubmissionResolvers = {
  id: (submission) => submission.id.toString(),
  submittedAt: (submission) => submission.submittedAt.toISOString(),
};
