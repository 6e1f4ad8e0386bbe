import { spawn } from 'node:child_process';
import {
  createConcurrently,
  LogError,
  LogExit,
  Logger,
  LogOutput,
  RestartProcess,
  type Command,
  type FlowController,
} from 'concurrently';

export interface Service {
  /** Prefix of its output lines. */
  name: string;
  /** Shell command line; run with `exec` so the service itself receives signals. */
  command: string;
  env?: Record<string, string>;
  prefixColor?: string;
}

export interface RunningServices {
  commands: Command[];
  /** Sends `signal` to every service, SIGKILL after `graceMs`, and resolves once all have exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Once stopping, a crash must not be answered with a restart. concurrently's restarter calls
 * start() after its delay; this guard sits before it and turns that call into a no-op.
 */
class StopGuard implements FlowController {
  stopping = false;
  handle(commands: Command[]) {
    const guarded = commands.map(
      (command) =>
        new Proxy(command, {
          get: (target, prop, receiver) =>
            prop === 'start' ? () => void (this.stopping || target.start()) : Reflect.get(target, prop, receiver),
        }),
    );
    return { commands: guarded };
  }
}

/** The restarter announces a restart before calling start(); once stopping, that would be a false report. */
function quietWhenStopping(logger: Logger, guard: StopGuard): Logger {
  return new Proxy(logger, {
    get: (target, prop, receiver) =>
      prop === 'logCommandEvent' && guard.stopping ? () => {} : Reflect.get(target, prop, receiver),
  });
}

/** Runs the services under concurrently, restarting any that exits with a failure, for ever, `restartDelayMs` apart. */
export function runServices(services: Service[], restartDelayMs = 2000): RunningServices {
  const guard = new StopGuard();
  const logger = new Logger({ prefixFormat: 'name' });
  const { commands, result } = createConcurrently(
    services.map((s) => ({
      name: s.name,
      command: `exec ${s.command}`,
      env: s.env,
      prefixColor: s.prefixColor ?? 'reset',
    })),
    {
      logger,
      outputStream: process.stdout,
      controllers: [
        new LogError({ logger }),
        new LogOutput({ logger }),
        new LogExit({ logger }),
        guard,
        new RestartProcess({ logger: quietWhenStopping(logger, guard), delay: restartDelayMs, tries: -1 }),
      ],
      // Own process group per service: a terminal's Ctrl-C reaches only the orchestrator, which
      // stops the services before the databases they use; killing the group reaches any helpers.
      spawn: (command, options) => spawn('/bin/sh', ['-c', command], { ...options, detached: true }),
      kill: (pid, signal) => {
        try {
          process.kill(-pid, signal);
        } catch {
          process.kill(pid, signal);
        }
      },
    },
  );
  // Exit codes are reported by LogExit; the overall verdict is of no use to a stack that runs until stopped.
  result.catch(() => {});

  async function stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    guard.stopping = true;
    const running = commands.filter((c) => c.state === 'started');
    // Not `close`: the restarter filters failed exits out of that stream, and a killed service exits failed.
    const exits = running.map(
      (c) => new Promise<void>((resolve) => c.stateChange.subscribe((state) => state !== 'started' && resolve())),
    );
    running.forEach((c) => c.kill(signal));
    const timer = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  return { commands, stop };
}
