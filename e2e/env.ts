/**
 * What the browser tests share: the running stack (started once per run by e2e/global-setup.ts),
 * the expected values, a poller, and a plain GraphQL client for what another user does meanwhile.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fibonacci } from '@fibgraph/core';
import { inject } from 'vitest';

export interface StackInfo {
  /** `http://localhost:<a free port>`: the stack is the tests' own (e2e/stack.ts). */
  baseUrl: string;
  /** Pid of scripts/start.ts: its direct children are the gateways, workers, web server and nginx. */
  pid: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export const stack = (): StackInfo => inject('stack');

/** The exact decimal digits of F(n), computed here, independently of the stack. */
export const fibonacciDigits = (n: number): string => fibonacci(n).toString();

/** Polls `probe` every 100 ms until it returns something other than undefined (a throw counts as not yet). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await delay(100);
  }
}

/** One GraphQL operation through nginx, as any other client would send it; throws on errors. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${stack().baseUrl}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Submits `index` through the API, as another user would. */
export async function submitThroughApi(index: number): Promise<void> {
  await graphql('mutation ($index: Int!) { submitValue(index: $index) { index status } }', { index });
}
