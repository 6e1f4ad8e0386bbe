import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** The pid recorded in `file`, when that process is still alive and its command line contains `expect`. */
export function livePid(file: string, expect?: string): number | undefined {
  if (!existsSync(file)) return undefined;
  // First line only: Postgres' postmaster.pid carries more lines after the pid.
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  if (expect === undefined) return pid;
  try {
    // /proc is Linux-only; elsewhere trust the pid, which is the more cautious reading here.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(expect) ? pid : undefined;
  } catch {
    return pid;
  }
}

/** Terminates the process a stale pidfile names (an orphan of a stack that was killed hard), then removes the file. */
export async function killStalePidfile(
  file: string,
  expect: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const pid = livePid(file, expect);
  if (pid !== undefined) {
    console.warn(`[stack] warning: stopping an orphaned ${expect} (pid ${pid}) left by an earlier run`);
    process.kill(pid, signal);
    for (let i = 0; i < 100 && livePid(file, expect) !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  rmSync(file, { force: true });
}

/**
 * Takes a pid lock on `file`: refuses when a live process holds it (two stacks would fight over
 * ports and data dirs), takes over a lock whose owner is dead. Returns the release function.
 */
export function acquirePidLock(file: string, what: string): () => void {
  const holder = livePid(file);
  if (holder !== undefined && holder !== process.pid) {
    throw new Error(
      `${what} is already running (pid ${holder}); stop it first, or remove ${file} if that pid is not ours`,
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (livePid(file) === process.pid) rmSync(file, { force: true });
  };
}
