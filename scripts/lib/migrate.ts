import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Whether the root package.json defines `script` (some are written in parallel with this code). */
export function hasNpmScript(script: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return pkg.scripts?.[script] !== undefined;
}

/**
 * Applies the committed migrations to `databaseUrl` through `npm run db:migrate`, the same
 * command production runs, so local and test databases cannot drift from it.
 * Output is captured and only shown when the migration fails.
 */
export function runMigrations(databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'db:migrate'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`npm run db:migrate failed (${code ?? signal}):\n${output.trim()}`));
    });
  });
}
