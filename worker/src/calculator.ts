import { Worker } from 'node:worker_threads';
import type { ComputedValue } from '@fibgraph/core';

/**
 * One background thread that computes F(index). The main thread stays free for heartbeats,
 * claiming and shutdown while it works; `cancel()` ends a computation at once (used on shutdown).
 */
export class Calculator {
  private thread: Worker | undefined;

  compute(index: number): Promise<ComputedValue> {
    const thread = (this.thread ??= new Worker(new URL('./compute-thread.js', import.meta.url)));
    return new Promise((resolve, reject) => {
      const onMessage = (msg: Omit<ComputedValue, 'encoded'> & { index: number; encoded: Uint8Array }) => {
        if (msg.index !== index) return;
        cleanup();
        const { digits, preview, computeMs } = msg;
        // A Buffer posted between threads arrives as a plain Uint8Array over the same bytes.
        resolve({
          digits,
          preview,
          computeMs,
          encoded: Buffer.from(msg.encoded.buffer, msg.encoded.byteOffset, msg.encoded.byteLength),
        });
      };
      const onExit = (code: number) => {
        cleanup();
        this.thread = undefined;
        reject(new Error(`calculation thread exited with code ${code}`));
      };
      const onError = (err: Error) => {
        cleanup();
        this.thread = undefined;
        reject(err);
      };
      const cleanup = () => {
        thread.off('message', onMessage).off('exit', onExit).off('error', onError);
      };
      thread.on('message', onMessage).on('exit', onExit).on('error', onError);
      thread.postMessage(index);
    });
  }

  /** Stops the thread, rejecting a computation in progress. */
  async cancel(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }
}
