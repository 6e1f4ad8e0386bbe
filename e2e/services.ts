/**
 * The test stack's gateways and workers, found as direct children of its packages/devstack/src/start.ts (never
 * those of a developer's own stack, which have another parent), for tests that stop or pause them.
 */
import { stack, waitFor } from './env.js';
import { childPids, tcpOf } from './procs.js';

export const gatewayPids = () => childPids(stack().pid, 'gateway/dist/index.js');
export const workerPids = () => childPids(stack().pid, 'worker/dist/index.js');

/**
 * Stops every worker (SIGSTOP) until the returned function lets them go on (SIGCONT): results then
 * stay PENDING for as long as a test needs to look at them, however fast the worker would be.
 */
export function pauseWorkers(): () => void {
  const pids = workerPids();
  if (pids.length === 0) throw new Error('the test stack has no worker to pause');
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return () => pids.forEach((pid) => process.kill(pid, 'SIGCONT'));
}

/** Resolves once `count` gateways run and each answers /healthz on its own port. */
export async function waitForGateways(count: number, timeout = 30_000): Promise<void> {
  const healthy = async () => {
    const ports = gatewayPids().flatMap((pid) => tcpOf(pid).listening);
    if (ports.length !== count) return undefined;
    const answers = await Promise.all(ports.map((port) => fetch(`http://127.0.0.1:${port}/healthz`)));
    return answers.every((response) => response.ok) ? true : undefined;
  };
  await waitFor(`${count} healthy gateways`, healthy, timeout);
}

/**
 * The gateway holding the one WebSocket open on the stack: while a single page is open, that
 * page's. Each gateway says in /healthz how many sockets it holds (nginx keeps idle connections to
 * the gateways open, so counting connections would not tell). Waits until exactly one is open,
 * since the page may still be connecting.
 */
export function gatewayOfTheOnlySocket(): Promise<number> {
  return waitFor('exactly one WebSocket open on the gateways', async () => {
    const held = await Promise.all(
      gatewayPids().map(async (pid) => {
        const [port] = tcpOf(pid).listening;
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { webSockets: number };
        return { pid, sockets: health.webSockets };
      }),
    );
    const total = held.reduce((sum, gateway) => sum + gateway.sockets, 0);
    return total === 1 ? held.find((gateway) => gateway.sockets === 1)?.pid : undefined;
  });
}
