import { encodeValue, fibonacci, previewOf, type ComputedValue } from '@fibgraph/core';
import { toDecimal } from './decimal.js';

/**
 * F(index) as a calculation records it: the digit count, the preview, and the value as Redis keeps
 * it (deflated). Run by the calculation thread, or by the worker's own thread for small indexes
 * (calculator.ts).
 */
export function calculate(index: number): ComputedValue {
  const started = performance.now();
  const digits = toDecimal(fibonacci(index));
  const computeMs = Math.round(performance.now() - started);
  return { digits: digits.length, preview: previewOf(digits), encoded: encodeValue(digits), computeMs };
}
