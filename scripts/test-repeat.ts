/**
 * `npm run test:repeat -- N [vitest args]`: builds once, then runs the suite (or what the vitest
 * arguments select) N times in a row, to find flaky tests. Every run goes on to the end; then a
 * table of each run's outcome and duration, and exit 1 if any run failed.
 *   npm run test:repeat -- 5                       the whole suite, 5 times
 *   npm run test:repeat -- 10 --project e2e        the browser tests, 10 times
 *   npm run test:repeat -- 20 e2e/outage.test.ts   one file
 */
import { spawnSync } from 'node:child_process';

const [count, ...vitestArgs] = process.argv.slice(2);
const runs = Number(count);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:repeat -- <runs> [vitest arguments]');
  process.exit(2);
}

const run = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run('npm', ['run', 'build']) !== 0) process.exit(1);
const outcomes: { passed: boolean; seconds: number }[] = [];
for (let i = 1; i <= runs; i++) {
  console.log(`\n[test:repeat] run ${i} of ${runs}: vitest run ${vitestArgs.join(' ')}`);
  const started = Date.now();
  const status = run('npx', ['vitest', 'run', ...vitestArgs]);
  outcomes.push({ passed: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log('\n[test:repeat] run  outcome  seconds');
outcomes.forEach(({ passed, seconds }, i) =>
  console.log(
    `[test:repeat] ${String(i + 1).padStart(3)}  ${passed ? 'passed' : 'FAILED'}  ${String(seconds).padStart(7)}`,
  ),
);
const failed = outcomes.filter((o) => !o.passed).length;
console.log(`[test:repeat] ${runs - failed} of ${runs} runs passed`);
process.exit(failed > 0 ? 1 : 0);
