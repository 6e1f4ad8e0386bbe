import { parentPort } from 'node:worker_threads';
import { encodeValue, fibonacci, previewOf } from '@fibgraph/core';

/**
 * Runs in a worker thread so a huge index never blocks the worker's event loop. Sends back what
 * the calculation needs: the digit count, the preview, and the value as Redis keeps it (deflated).
 */
parentPort!.on('message', (index: number) => {
  const started = performance.now();
  const digits = fibonacci(index).toString();
  const computeMs = Math.round(performance.now() - started);
  parentPort!.postMessage({
    index,
    digits: digits.length,
    preview: previewOf(digits),
    encoded: encodeValue(digits),
    computeMs,
  });
});
