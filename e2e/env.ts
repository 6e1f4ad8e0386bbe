/**
 * What the browser tests share: the running stack (started once per run by e2e/global-setup.ts),
 * the expected values, a poller, and a plain GraphQL client for what another user does meanwhile.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { fibonacci } from '@fibgraph/core';
import { inject } from 'vitest';
import { request } from '../nginx/stand-ins.js';

export interface StackInfo {
  /** `http://localhost:<a free port>`: the stack is the tests' own (e2e/stack.ts). */
  baseUrl: string;
  /** Pid of packages/devstack/src/start.ts: its direct children are the gateways, workers, web server and nginx. */
  pid: number;
  /** The stack's own Postgres database and Redis, for checking what was (not) stored. */
  databaseUrl: string;
  redisUrl: string;
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

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTP request to the stack, from loopback address `from` (127.0.0.1 unless given): every
 * address of 127.0.0.0/8 is this machine, and to nginx each is another client.
 */
export async function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<HttpAnswer> {
  const { status, headers, body } = await request(`${stack().baseUrl}${path}`, {
    ...options,
    method: options.method ?? 'POST',
    localAddress: options.from,
  });
  return { status, headers, text: body.toString() };
}

/** One GraphQL operation through nginx, as any other client would send it (from `from`); throws on errors. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, from?: string): Promise<T> {
  const response = await send('/api/graphql', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    from,
  });
  const body = JSON.parse(response.text) as { data?: T; errors?: { message: string }[] };
  if (response.status !== 200 || body.errors || !body.data) {
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Submits `index` through the API, as another user would. */
export async function submitThroughApi(index: number): Promise<void> {
  await graphql('mutation ($index: Int!) { submitValue(index: $index) { index status } }', { index });
}
