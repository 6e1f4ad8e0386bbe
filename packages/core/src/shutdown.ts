import type { Logger } from './logger.js';

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT (a second signal changes nothing), then exits 0,
 * or 1 when it fails.
 */
export function onShutdownSignal(logger: Logger, shutdown: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      shutdown().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
