import { rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@fibgraph/core';

/** Fewest milliseconds between two writes: the job loop may prove itself many times a second. */
const MIN_WRITE_INTERVAL_MS = 1_000;

/**
 * The file the container's HEALTHCHECK reads (worker/healthcheck.mjs): the time, in ms
 * since the epoch, at which the job loop last heard back from Redis. The worker serves no port,
 * so this file is how it tells the check that it runs, reaches Redis and its loop turns.
 *
 * Each write goes to a temp file in the same directory, then is renamed over the file, so a
 * reader never sees half a number. Writing is best effort: a failure is logged once (until a
 * write succeeds again) and never stops the worker; the check then reports the file stale.
 */
export class AliveFile {
  private lastWriteAt = 0;
  private writing: Promise<void> | undefined;
  private failing = false;
  private closed = false;
  private readonly tempPath: string | undefined;

  /** `file`: absolute path, or null when HEALTH_FILE=off (then every method does nothing). */
  constructor(
    private readonly file: string | null,
    private readonly logger: Logger,
  ) {
    if (file) this.tempPath = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  }

  /**
   * Forgets what an earlier process left behind (a restarted container keeps its /tmp), so only
   * this process's own contact with Redis can make the check pass.
   */
  clear(): void {
    if (!this.file) return;
    try {
      rmSync(this.file, { force: true });
    } catch (err) {
      this.reportFailure(err);
    }
  }

  /** Records that the loop just heard from Redis; at most one write a second, never throws. */
  touch(): void {
    if (!this.file || !this.tempPath || this.closed || this.writing) return;
    const now = Date.now();
    if (now - this.lastWriteAt < MIN_WRITE_INTERVAL_MS) return;
    this.lastWriteAt = now;
    const [file, temp] = [this.file, this.tempPath];
    this.writing = writeFile(temp, String(now))
      .then(() => rename(temp, file))
      .then(
        () => {
          if (this.failing) this.logger.info({ file }, 'health file written again');
          this.failing = false;
        },
        (err: unknown) => this.reportFailure(err),
      )
      .finally(() => (this.writing = undefined));
  }

  /** Stops writing and removes the file: a worker that is shutting down takes no more jobs. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    if (!this.file) return;
    await Promise.all([rm(this.file, { force: true }), rm(this.tempPath!, { force: true })]).catch((err: unknown) =>
      this.reportFailure(err),
    );
  }

  private reportFailure(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ err, file: this.file }, 'cannot write the health file; the HEALTHCHECK will report unhealthy');
  }
}
