import { z } from 'zod';
import { loadServiceConfig, sharedEnvSchema } from '@fibgraph/core';

/** Every env var the gateway reads, validated once at start. Nothing else reads process.env. */
const gatewayEnvSchema = sharedEnvSchema.and(
  z.object({
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
    /** Pool size for Prisma's pg adapter; the embedded PGlite needs 1. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PORT: z.coerce.number().int().min(0).max(65_535).default(5000),
    /** How often to check whether Redis lost calculations that Postgres says were asked for. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    /** Most jobs one reconciliation pass enqueues; the rest wait for the next pass. */
    RECONCILE_BATCH: z.coerce.number().int().min(1).default(1_000),
    /** Milliseconds to let open requests and sockets finish on SIGTERM. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    /** The GraphQL playground and introspection; unset means on, except with NODE_ENV=production. */
    PLAYGROUND: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    /** Digits of `value` one answer may carry in all (see value-budget.ts); F(10^6) has 208,988. */
    MAX_RESPONSE_DIGITS: z.coerce.number().int().min(1).default(2_000_000),
    /** Submissions per client: this many a second, plus a burst allowance of SUBMIT_BURST_PER_MINUTE. */
    SUBMIT_RATE_PER_SECOND: z.coerce.number().int().min(1).default(2),
    SUBMIT_BURST_PER_MINUTE: z.coerce.number().int().min(0).default(30),
    /** Origins besides the page's own that may open a WebSocket, comma-separated (`https://a.example,...`). */
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((origin) => new URL(origin).origin))),
    /** Operations one WebSocket may run at once (subscriptions, and queries still running). */
    MAX_OPERATIONS_PER_SOCKET: z.coerce.number().int().min(1).default(20),
    /** Jobs one client may have waiting at once; beyond, RATE_LIMITED (nothing stored). */
    MAX_JOBS_PER_CLIENT: z.coerce.number().int().min(1).default(10),
    /** Jobs all lanes may hold together; beyond, BUSY (nothing stored). */
    MAX_BACKLOG: z.coerce.number().int().min(1).default(10_000),
    /** How long a request waits for a value the cache released to be computed again. */
    RECOMPUTE_WAIT_MS: z.coerce.number().int().min(0).default(5_000),
    /** Submissions older than this many days are deleted (by the reconciler, in batches); unset: kept for ever. */
    SUBMISSION_RETENTION_DAYS: z.coerce.number().int().min(1).optional(),
    /** Longest wait for Postgres (connect, statement) and for a Redis command, in milliseconds. */
    DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).default(1_500),
  }),
);

export type GatewayConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadServiceConfig('gateway', gatewayEnvSchema, env, (parsed) => ({
    databaseUrl: parsed.DATABASE_URL,
    databasePoolMax: parsed.DATABASE_POOL_MAX,
    port: parsed.PORT,
    reconcileIntervalMs: parsed.RECONCILE_INTERVAL_MS,
    reconcileBatch: parsed.RECONCILE_BATCH,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    playground: parsed.PLAYGROUND === undefined ? parsed.NODE_ENV !== 'production' : parsed.PLAYGROUND === 'true',
    maxResponseDigits: parsed.MAX_RESPONSE_DIGITS,
    submitRate: { perSecond: parsed.SUBMIT_RATE_PER_SECOND, burstPerMinute: parsed.SUBMIT_BURST_PER_MINUTE },
    allowedOrigins: parsed.ALLOWED_ORIGINS,
    maxOperationsPerSocket: parsed.MAX_OPERATIONS_PER_SOCKET,
    dependencyTimeoutMs: parsed.DEPENDENCY_TIMEOUT_MS,
    /** An outstanding job counts against its client for at most this long (a lost one cannot block it for ever). */
    admission: { perClient: parsed.MAX_JOBS_PER_CLIENT, backlog: parsed.MAX_BACKLOG, windowMs: 10 * 60_000 },
    recomputeWaitMs: parsed.RECOMPUTE_WAIT_MS,
    retentionDays: parsed.SUBMISSION_RETENTION_DAYS ?? null,
    valueCacheMb: parsed.VALUE_CACHE_MB,
    /** Largest `limit` the list queries accept. */
    maxListLimit: 100,
  }));
}
