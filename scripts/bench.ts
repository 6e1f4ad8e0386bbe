/**
 * `npm run bench`: how long the worker's maths takes, and how much memory it needs, for indexes
 * up to the default MAX_INDEX, then the built services' throughput with 1x1 and 2x3 processes
 * (bench-processes.ts). Prints tables; no assertions (machines here are noisy).
 *   npm run bench -- 5000000     adds indexes of your own
 */
import { fibonacci } from '../packages/core/src/index.js';

const indexes = [90, 1_000, 10_000, 100_000, 500_000, 1_000_000, ...process.argv.slice(2).map(Number)];
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

console.log(`node ${process.version}, ${RUNS} runs each, median`);
console.log(
  'index'.padStart(10),
  'digits'.padStart(9),
  'compute ms'.padStart(11),
  'toString ms'.padStart(12),
  'total ms'.padStart(9),
  'rss MB'.padStart(7),
);
for (const n of indexes) {
  const compute: number[] = [];
  const text: number[] = [];
  let digits = 0;
  let rss = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const value = fibonacci(n);
    const t1 = performance.now();
    const decimal = value.toString();
    const t2 = performance.now();
    compute.push(t1 - t0);
    text.push(t2 - t1);
    digits = decimal.length;
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const total = compute.map((c, i) => c + text[i]!);
  console.log(
    String(n).padStart(10),
    String(digits).padStart(9),
    median(compute).toFixed(1).padStart(11),
    median(text).toFixed(1).padStart(12),
    median(total).toFixed(1).padStart(9),
    (rss / 2 ** 20).toFixed(0).padStart(7),
  );
}

console.log();
await import('./bench-processes.js');
