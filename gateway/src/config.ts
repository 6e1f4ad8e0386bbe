import { z } from 'zod';
import { parseEnvOrExit, redisUrlOf, sharedEnvSchema } from '@fibgraph/core';

/** Every env var the gateway reads, validated once at start. Nothing else reads process.env. */
const gatewayEnvSchema = sharedEnvSchema.and(
  z.object({
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
    /** Pool size for Prisma's pg adapter; the embedded PGlite needs 1. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PORT: z.coerce.number().int().min(0).max(65_535).default(5000),
    /** How often to check whether Redis lost results that Postgres says were asked for. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    /** Most jobs one reconciliation pass enqueues; the rest wait for the next pass. */
    RECONCILE_BATCH: z.coerce.number().int().min(1).default(1_000),
    /** Seconds to let open requests and sockets finish on SIGTERM. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    /** The GraphQL playground and introspection; unset means on, except with NODE_ENV=production. */
    PLAYGROUND: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    /** Digits of `value` one HTTP request may carry in all (see value-budget.ts); F(10^6) has 208,988. */
    MAX_RESPONSE_DIGITS: z.coerce.number().int().min(1).default(2_000_000),
  }),
);

export type GatewayConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnvOrExit(gatewayEnvSchema, env, 'gateway');
  return {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    maxIndex: parsed.MAX_INDEX,
    redisUrl: redisUrlOf(parsed),
    redisPrefix: parsed.REDIS_PREFIX,
    databaseUrl: parsed.DATABASE_URL,
    databasePoolMax: parsed.DATABASE_POOL_MAX,
    port: parsed.PORT,
    reconcileIntervalMs: parsed.RECONCILE_INTERVAL_MS,
    reconcileBatch: parsed.RECONCILE_BATCH,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    playground: parsed.PLAYGROUND === undefined ? parsed.NODE_ENV !== 'production' : parsed.PLAYGROUND === 'true',
    maxResponseDigits: parsed.MAX_RESPONSE_DIGITS,
    /** Largest `limit` the list queries accept. */
    maxListLimit: 100,
  };
}
