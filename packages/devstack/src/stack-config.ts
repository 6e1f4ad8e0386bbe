import { z } from 'zod';

/** Defaults here are what `npm start` does with no environment at all. */
const schema = z.object({
  /** Gateway processes; above 1 needs a Postgres that serves several connections (not the embedded one). */
  GATEWAYS: z.coerce.number().int().min(1).max(16).default(1),
  WORKERS: z.coerce.number().int().min(0).max(32).default(1),
  /** `nginx` (the container's routing config), `node` (Vite's proxy, one gateway only), or `auto`: nginx when installed. */
  FIBGRAPH_PROXY: z.enum(['auto', 'nginx', 'node']).default('auto'),
  /** The public port of the stack. */
  FIBGRAPH_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  REDIS_HOST: z.string().min(1).optional(),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379),
});

export type StackConfig = z.infer<typeof schema>;

/** Reads the stack's environment, reporting every invalid variable at once. */
export function readStackConfig(env: NodeJS.ProcessEnv): StackConfig {
  // An empty variable (`DATABASE_URL= npm start`) means "unset", as it does for most shells' users.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`invalid environment for the local stack:\n${problems}`);
  }
  return parsed.data;
}
