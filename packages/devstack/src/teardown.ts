import { stackLog as log } from './log.js';

type Step = { name: string; stop: () => Promise<void> };

/**
 * Stops what the stack started, newest first: services before the databases they use, the stack
 * lock last. Stopping is requested first (startup then ends at its next step) and run once startup
 * has ended, so that something still starting when the signal came is stopped in order too.
 */
export class Teardown {
  private readonly steps: Step[] = [];
  private done: Promise<void> | undefined;
  private current: string | undefined;
  private stopRequested = false;
  private rejectStopping: (reason: Error) => void = () => {};
  /** Rejects once stopping is requested: pass it as the `abort` of any wait during startup. */
  readonly whenStopping = new Promise<never>((_resolve, reject) => (this.rejectStopping = reject));

  constructor() {
    this.whenStopping.catch(() => {});
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  add(name: string, stop: () => Promise<void>): void {
    if (this.done) throw new Error(`${name} was started after the stack had stopped`);
    this.steps.push({ name, stop });
  }

  request(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.rejectStopping(new Error('the stack is stopping'));
  }

  /** Runs every step once, in reverse order; calling it again returns the same completion. */
  run(): Promise<void> {
    this.request();
    this.done ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        this.current = step.name;
        log.info(`stopping ${step.name}`);
        await step.stop().catch((error: unknown) => log.error(`stopping ${step.name}: ${String(error)}`));
      }
      this.current = undefined;
    })();
    return this.done;
  }

  /** The name of the step being stopped right now, for "still waiting for ..." messages. */
  get waitingFor(): string | undefined {
    return this.current;
  }
}

/** Routes SIGINT, SIGTERM and SIGHUP into one orderly `shutdown`; repeats only report progress, since stops are already bounded by SIGKILL deadlines. */
export function stopOnSignals(teardown: Teardown, shutdown: () => void): void {
  let firstSignalAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (teardown.stopping) {
      // npm and tsx relay the terminal's Ctrl-C to us a second time within milliseconds; only a person's repeat is worth an answer.
      if (Date.now() - firstSignalAt > 1000) {
        const what = teardown.waitingFor ?? 'startup to reach a stopping point';
        log.info(`${signal}: already stopping, waiting for ${what}`);
      }
      return;
    }
    firstSignalAt = Date.now();
    log.info(`${signal}: stopping the stack`);
    shutdown();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
}
