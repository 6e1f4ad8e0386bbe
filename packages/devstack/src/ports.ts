import net from 'node:net';

/** Asks the kernel for an unused port; another process could take it before we bind, so callers retry on EADDRINUSE where it matters. */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The preferred port when nothing holds it (predictable addresses in logs), else any free one. */
export async function preferPort(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : getFreePort();
}

export interface WaitOptions {
  /** Give up after this many milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Pause between attempts. Default 100 ms. */
  intervalMs?: number;
  /** Ends the wait early with its rejection, e.g. when the process being waited for has exited. */
  abort?: Promise<unknown>;
}

/** Polls `probe` (a throw counts as "not yet") until it returns true; `what` names the thing in the timeout error. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, opts: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 30_000, intervalMs = 100, abort } = opts;
  let aborted: unknown;
  abort?.catch((error: unknown) => {
    aborted = error ?? new Error(`stopped waiting for ${what}`);
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted) throw aborted;
    if (await probe().catch(() => false)) return;
    if (aborted) throw aborted;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, intervalMs));
  }
}
