import { hostname } from 'node:os';
import { z } from 'zod';
import { parseEnvOrExit, redisUrlOf, sharedEnvSchema } from '@fibgraph/core';

/** Every env var the worker reads, validated once at start. Nothing else reads process.env. */
const workerEnvSchema = sharedEnvSchema.and(
  z.object({
    /** A job whose worker has been silent this long is taken over by another worker. */
    CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
    /** Deliveries after which a job that keeps failing is marked FAILED instead of retried. */
    MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    /** Stable name of this consumer in the group; defaults to host and pid. */
    WORKER_NAME: z.string().min(1).optional(),
  }),
);

export type WorkerConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnvOrExit(workerEnvSchema, env, 'worker');
  return {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    maxIndex: parsed.MAX_INDEX,
    redisUrl: redisUrlOf(parsed),
    redisPrefix: parsed.REDIS_PREFIX,
    claimIdleMs: parsed.CLAIM_IDLE_MS,
    maxAttempts: parsed.MAX_ATTEMPTS,
    consumerName: parsed.WORKER_NAME ?? `${hostname()}-${process.pid}`,
  };
}
