import { spawn } from 'node:child_process';
import { REPO_ROOT } from './repo.js';

/**
 * Applies the committed migrations to `databaseUrl` through `npm run db:migrate`, the command
 * production runs, so local and test databases cannot drift from it. Output is shown only on
 * failure. `extraEnv` carries limits such as DATABASE_POOL_MAX=1 for the embedded Postgres.
 */
export function runMigrations(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'db:migrate'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Out of the terminal's process group: a Ctrl-C must not cut a migration in half, which
      // Prisma records as failed and then refuses to go on from until resolved by hand (P3009).
      // A stop requested meanwhile waits the few seconds it takes.
      detached: true,
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
