import { parentPort } from 'node:worker_threads';
import { calculate } from './calculate.js';

/** Runs in a worker thread so a huge index never blocks the worker's event loop. */
parentPort!.on('message', (index: number) => {
  parentPort!.postMessage({ index, ...calculate(index) });
});
