import { stackLog as log } from './log.js';

type Step = { name: string; stop: () => Promise<void> };

/**
 * Stops what the stack started, newest first: services before the databases they use. Something
 * registered after stopping began (it was still starting when the signal came) is stopped too,
 * once the steps before it are done.
 */
export class Teardown {
  private readonly steps: Step[] = [];
  private chain: Promise<void> = Promise.resolve();
  private current: string | undefined;
  stopping = false;
  private requestStop: (reason: Error) => void = () => {};
  /** Rejects as soon as stopping begins: pass it as the `abort` of any wait during startup. */
  readonly whenStopping = new Promise<never>((_resolve, reject) => (this.requestStop = reject));

  constructor() {
    this.whenStopping.catch(() => {});
  }

  add(name: string, stop: () => Promise<void>): void {
    if (this.stopping) this.enqueue({ name, stop });
    else this.steps.push({ name, stop });
  }

  /** Runs every step once; calling it again returns the same completion. */
  run(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.requestStop(new Error('the stack is stopping'));
      for (const step of this.steps.reverse()) this.enqueue(step);
    }
    return this.chain;
  }

  /** The name of the step being stopped right now, for "still waiting for ..." messages. */
  get waitingFor(): string | undefined {
    return this.current;
  }

  private enqueue(step: Step): void {
    this.chain = this.chain.then(async () => {
      this.current = step.name;
      log.info(`stopping ${step.name}`);
      await step.stop().catch((error: unknown) => log.error(`stopping ${step.name}: ${String(error)}`));
      this.current = undefined;
    });
  }
}

/** Routes SIGINT, SIGTERM and SIGHUP into one orderly shutdown; repeats only report progress, since stops are already bounded by SIGKILL deadlines. */
export function stopOnSignals(teardown: Teardown, onDone: () => void): void {
  let firstSignalAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (teardown.stopping) {
      // npm and tsx relay the terminal's Ctrl-C to us a second time within milliseconds; only a person's repeat is worth an answer.
      if (Date.now() - firstSignalAt > 1000) {
        log.info(`${signal}: already stopping${teardown.waitingFor ? `, waiting for ${teardown.waitingFor}` : ''}`);
      }
      return;
    }
    firstSignalAt = Date.now();
    log.info(`${signal}: stopping the stack`);
    void teardown.run().then(onDone);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
}
