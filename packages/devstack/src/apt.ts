import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createLog } from './log.js';

const log = createLog('provision');

/** The first executable named `name` on PATH or in `extraDirs`, or undefined. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Installing system packages is only attempted where it cannot prompt or need sudo: as root with apt-get. */
export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && findExecutable('apt-get') !== undefined;
}

let updated = false;

/**
 * Installs a Debian package, or throws an error that tells the person what to run.
 * `apt-get update` runs once per process: package lists are often absent in fresh containers.
 */
export function aptInstall(pkg: string, why: string): void {
  const command = `apt-get update && apt-get install -y ${pkg}`;
  if (!canAptInstall()) {
    throw new Error(`${why}. Install it with: sudo apt-get update && sudo apt-get install -y ${pkg}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    log.info(`${why}; running apt-get update`);
    run('apt-get', ['update'], env, command);
    updated = true;
  }
  log.info(`installing the Debian package ${pkg} (apt-get install -y ${pkg})`);
  run('apt-get', ['install', '-y', '--no-install-recommends', pkg], env, command);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, hint: string): void {
  // Output is captured, not streamed: apt's progress noise would drown the stack's own lines.
  const result = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.error?.message}); try: ${hint}\n${tail}`,
    );
  }
}

/** Resolves a user name to ids, for dropping root when spawning servers that refuse to run as root. */
export function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}
