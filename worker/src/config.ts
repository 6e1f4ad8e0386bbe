import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadServiceConfig, sharedEnvSchema } from '@fibgraph/core';

/** Every env var the worker reads, validated once at start. Nothing else reads process.env. */
const workerEnvSchema = sharedEnvSchema.and(
  z.object({
    /** A job whose worker has been silent this long is taken over by another worker. */
    CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
    /** Deliveries after which a job that keeps failing is marked FAILED instead of retried. */
    MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    /** Stable name of this consumer in the group; defaults to host and pid. */
    WORKER_NAME: z.string().min(1).optional(),
    /**
     * File the job loop stamps with the time each time it hears from Redis; the image's HEALTHCHECK
     * (worker/healthcheck.mjs) reads it. `off`: no file (and that check cannot pass).
     */
    HEALTH_FILE: z
      .string()
      .refine((value) => value === 'off' || path.isAbsolute(value), 'must be an absolute path, or off')
      .default('/tmp/fibgraph-worker.alive'),
  }),
);

export type WorkerConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadServiceConfig('worker', workerEnvSchema, env, (parsed) => ({
    claimIdleMs: parsed.CLAIM_IDLE_MS,
    valueCacheBytes: Math.round(parsed.VALUE_CACHE_MB * 1024 * 1024),
    maxAttempts: parsed.MAX_ATTEMPTS,
    consumerName: parsed.WORKER_NAME ?? `${hostname()}-${process.pid}`,
    /** null when HEALTH_FILE=off. */
    healthFile: parsed.HEALTH_FILE === 'off' ? null : parsed.HEALTH_FILE,
  }));
}
