export type CalculationStatus = 'PENDING' | 'DONE' | 'FAILED';

/** Fields of a job entry on the jobs stream (stream fields are strings on the wire). */
export interface CalculationJob {
  index: number;
  /** When the job was enqueued, ms since the epoch. */
  enqueuedAt: number;
}

/**
 * What the worker publishes when a calculation is done or failed. Deliberately small: F(10^6) has 208,988
 * digits, so the full value stays in Redis and is read only by clients that ask for it.
 */
export interface ValueCalculatedEvent {
  index: number;
  status: Exclude<CalculationStatus, 'PENDING'>;
  digits: number | null;
  preview: string | null;
  computeMs: number | null;
  /** ms since the epoch */
  updatedAt: number;
  error: string | null;
  /** Its position in the feed (feed.ts), set as it is published. */
  cursor?: string;
}

/**
 * What a gateway publishes once a submission is stored, so every client (of every gateway) sees
 * it live. The calculation's state is not included: subscribers read it fresh from Redis when asked.
 */
export interface ValueSubmittedEvent {
  /** The Postgres row id (a bigint, as a decimal string: JSON has no bigint). */
  id: string;
  index: number;
  /** ms since the epoch */
  submittedAt: number;
}

export function jobToFields(job: CalculationJob): string[] {
  return ['index', String(job.index), 'enqueuedAt', String(job.enqueuedAt)];
}

/** Parses stream fields `[k1, v1, k2, v2, ...]`; null when they do not describe a job. */
export function jobFromFields(fields: string[]): CalculationJob | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const index = Number(map.get('index'));
  const enqueuedAt = Number(map.get('enqueuedAt') ?? 0);
  if (!Number.isSafeInteger(index) || index < 0) return null;
  return { index, enqueuedAt };
}
