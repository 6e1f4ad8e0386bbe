import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A long-running helper process (Redis, Postgres) that is started once and stopped once; services that need restarting go through concurrently instead. */
export interface ManagedChild {
  readonly process: ChildProcess;
  /** Resolves with the exit code, or the signal name, once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Rejects when the process exits: pass it as the `abort` of a readiness wait. */
  readonly exitedEarly: Promise<never>;
  /** The last lines the process printed, for error messages. */
  output(): string;
  /** Every line the process printed (one that prints more than KEEP_LINES: at least its last half of them), to look for a line in. */
  lines(): readonly string[];
  /** Sends `signal` (default SIGTERM), then SIGKILL after `graceMs` (default 10 000). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface ChildOptions extends SpawnOptions {
  /** Receives every output line as it arrives; by default output is only kept for errors. */
  onLine?: (line: string) => void;
}

/** Lines kept: the whole output of a test's service (a worker with a backlog logs one per job). */
const KEEP_LINES = 5_000;
/** Lines an error message quotes. */
const QUOTED_LINES = 40;

export function spawnChild(name: string, command: string, args: string[], options: ChildOptions = {}): ManagedChild {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  const lines: string[] = [];
  const collect = (line: string) => {
    if (!line.trim()) return;
    lines.push(line);
    // Half dropped at once, not a line per line: a chatty process costs no copying per line.
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES / 2);
    onLine?.(line);
  };
  // Whole lines (readline), also when one arrives split over two reads of the pipe.
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', collect);
  }
  const output = () => lines.slice(-QUOTED_LINES).join('\n');

  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      lines.push(error.message);
      resolve('error');
    });
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const exitedEarly = exited.then((how): never => {
    throw new Error(`${name} exited (${how}) before it was ready:\n${output()}`);
  });
  exitedEarly.catch(() => {});

  const isRunning = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  async function stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!isRunning()) return void (await exited);
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  return { process: child, exited, exitedEarly, output, lines: () => lines, stop };
}
