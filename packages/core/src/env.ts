import { z } from 'zod';
import { DEFAULT_MAX_INDEX } from './validation.js';

/** Env vars both services read. Each service's config module extends this and parses once. */
export const sharedEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_INDEX: z.coerce.number().int().min(0).max(10_000_000).default(DEFAULT_MAX_INDEX),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_HOST: z.string().min(1).optional(),
    REDIS_PORT: z.coerce.number().int().min(1).max(65_535).default(6379),
    /** `true`: REDIS_URL (or REDIS_HOST) is one node of a Redis Cluster (docs/redis.md). */
    REDIS_CLUSTER: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    /** Default `fib:`, and `{fib}:` on a cluster: there it must hold a hash tag, so that every key is in one slot. */
    REDIS_PREFIX: z.string().optional(),
    /**
     * MB the values may take in Redis; the least recently used are released, and computed again when
     * asked for. 64 MB fits a small managed Redis and holds about 600 values near F(10^6).
     */
    VALUE_CACHE_MB: z.coerce.number().positive().default(64),
  })
  .refine((env) => env.REDIS_URL ?? env.REDIS_HOST, {
    message: 'set REDIS_URL (or REDIS_HOST and REDIS_PORT)',
    path: ['REDIS_URL'],
    // Report this even when other variables are wrong too: every problem at once.
    when: () => true,
  })
  .refine((env) => env.REDIS_CLUSTER !== 'true' || env.REDIS_PREFIX === undefined || hashTagOf(env.REDIS_PREFIX), {
    message:
      'with REDIS_CLUSTER=true the prefix must hold a hash tag, like {fib}: (every key a script touches must be in one slot)',
    path: ['REDIS_PREFIX'],
    when: () => true,
  });

/** The prefix keys get by default; on a cluster, tagged so that all keys share one slot. */
export function defaultRedisPrefix(cluster: boolean): string {
  return cluster ? '{fib}:' : 'fib:';
}

/**
 * The hash tag every key starting with `prefix` is placed by in a Redis Cluster: the text between
 * its first `{` and the next `}`, when not empty; null when the prefix holds none, and then
 * Redis places each key by its whole name.
 */
export function hashTagOf(prefix: string): string | null {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : null;
}

type SharedEnv = z.output<typeof sharedEnvSchema>;

/**
 * A service's config: `env` parsed with its `schema` (an extension of sharedEnvSchema), or every
 * problem printed and exit 1; the shared settings, plus the service's own as `own` names them.
 */
export function loadServiceConfig<S extends z.ZodType<SharedEnv>, T>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv,
  own: (parsed: z.output<S>) => T,
) {
  const parsed = parseEnvOrExit(schema, env, service);
  const shared = {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    maxIndex: parsed.MAX_INDEX,
    redisUrl: parsed.REDIS_URL ?? `redis://${parsed.REDIS_HOST}:${parsed.REDIS_PORT}`,
    redisCluster: parsed.REDIS_CLUSTER === 'true',
    redisPrefix: parsed.REDIS_PREFIX ?? defaultRedisPrefix(parsed.REDIS_CLUSTER === 'true'),
  };
  return { ...shared, ...own(parsed) };
}

/**
 * Parses `env` with `schema`, or prints every problem at once and exits non-zero:
 * a service with bad config should refuse to start, not fail later on first use.
 */
export function parseEnvOrExit<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, service: string): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  process.stderr.write(`${service}: invalid configuration\n${lines.join('\n')}\n`);
  process.exit(1);
}
