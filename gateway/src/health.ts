import type { Request, Response } from 'express';
import type { GatewayContext } from './context.js';

const CHECK_TIMEOUT_MS = 2_000;

/** 200 only while Postgres and Redis both answer; otherwise 503 naming what is down. */
export function readyHandler({ submissions, calculations }: Pick<GatewayContext, 'submissions' | 'calculations'>) {
  return async (_req: Request, res: Response) => {
    const [postgres, redis] = await Promise.all([check(() => submissions.ping()), check(() => calculations.ping())]);
    const ok = postgres === 'up' && redis === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', postgres, redis });
  };
}

async function check(probe: () => Promise<void>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
