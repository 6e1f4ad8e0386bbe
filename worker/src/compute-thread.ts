import { parentPort } from 'node:worker_threads';
import { fibonacci } from '@fibgraph/core';

/** Runs in a worker thread so a huge index never blocks the worker's event loop. */
parentPort!.on('message', (index: number) => {
  const started = performance.now();
  const value = fibonacci(index).toString();
  parentPort!.postMessage({ index, value, computeMs: Math.round(performance.now() - started) });
});
