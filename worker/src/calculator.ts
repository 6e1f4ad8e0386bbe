import { Worker } from 'node:worker_threads';
import type { ComputedValue } from '@fibgraph/core';
import { calculate } from './calculate.js';

/**
 * Small enough to take about a millisecond, large enough to run the multiplication and conversion
 * code of big values; at or above ON_OWN_THREAD_BELOW, so that `warm()` runs on the calculation thread.
 */
const WARM_INDEX = 100_000;

/**
 * Below this index F(index) is computed on the worker's own thread: the round trip to the
 * calculation thread costs about 0.2 ms of CPU a job, more than the maths (F(20,000) 0.09 ms,
 * F(30,000) 0.14 ms, F(50,000) 0.26 ms, F(100,000) 0.65 ms here, digits included).
 */
const ON_OWN_THREAD_BELOW = 50_000;

/**
 * One background thread that computes F(index), except below ON_OWN_THREAD_BELOW, which the
 * worker's own thread computes (`npm run bench -- throughput` runs such jobs). The main thread stays free for
 * heartbeats, claiming and shutdown while the thread works; `cancel()` (used on shutdown) ends a
 * computation at once, or as soon as a decimal conversion inside GMP returns (no thread
 * termination interrupts native code: up to 0.2 s at 10^7).
 */
export class Calculator {
  private thread: Worker | undefined;

  /**
   * Starts the thread and runs one small calculation through it, so the first real job after boot
   * pays neither the thread's start (loading its modules) nor the first run of the code path.
   * Resolves with the milliseconds it took; a job submitted meanwhile just queues behind it.
   */
  async warm(index = WARM_INDEX): Promise<number> {
    const started = performance.now();
    await this.compute(index);
    return Math.round(performance.now() - started);
  }

  compute(index: number): Promise<ComputedValue> {
    if (index < ON_OWN_THREAD_BELOW) return Promise.resolve(calculate(index));
    const thread = (this.thread ??= this.startThread());
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
        if (this.thread === thread) this.thread = undefined;
        reject(new Error(`calculation thread exited with code ${code}`));
      };
      const onError = (err: Error) => {
        cleanup();
        if (this.thread === thread) this.thread = undefined;
        reject(err);
      };
      const cleanup = () => {
        thread.off('message', onMessage).off('exit', onExit).off('error', onError);
      };
      thread.on('message', onMessage).on('exit', onExit).on('error', onError);
      thread.postMessage(index);
    });
  }

  /**
   * The thread does not keep the process alive by itself (it lives from boot, warm, while the
   * worker waits for Redis): a shutdown whose last Redis command can never be answered ends as it
   * did before the thread started early, when nothing else is left to run.
   */
  private startThread(): Worker {
    const thread = new Worker(new URL('./compute-thread.js', import.meta.url));
    thread.unref();
    return thread;
  }

  /** Stops the thread, rejecting a computation in progress. */
  async cancel(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }
}
