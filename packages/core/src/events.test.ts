import { describe, expect, it } from 'vitest';
import { jobFromFields, jobToFields } from './events.js';

describe('job stream fields', () => {
  it('round-trips a job through stream fields', () => {
    const job = { index: 1_000_000, enqueuedAt: 1_764_000_000_000 };
    expect(jobFromFields(jobToFields(job))).toEqual(job);
  });

  it('rejects an entry without a valid index', () => {
    expect(jobFromFields(['enqueuedAt', '1'])).toBeNull();
    expect(jobFromFields(['index', '-3'])).toBeNull();
    expect(jobFromFields(['index', 'abc'])).toBeNull();
  });
});
