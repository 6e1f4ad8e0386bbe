/**
 * `npm run crowd [-- <clients> [<base url>]]`: the fan-out bench (scripts/bench/fanout.ts) against
 * a stack that is already running (default 10,000 subscribers on http://localhost:8080): a crowd
 * of live valueCalculated subscribers, each from a loopback address of its own, then a burst of 50
 * fresh submissions, how long each subscriber took to hear all of them, and what each gateway,
 * worker and nginx process of this checkout held (RSS). Closes every socket it opened; bounded by
 * BENCH_FANOUT_DEADLINE_S (default 300). Exits non-zero when an accepted submission's event was lost.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { REPO_ROOT } from '@fibgraph/devstack';
import { fanoutBench } from './bench/fanout.js';
import type { BenchStack } from './bench/section.js';

const clients = process.argv[2] ?? '10000';
const baseUrl = process.argv[3] ?? 'http://localhost:8080';
process.env.BENCH_SUBSCRIBERS = clients;

const ROLES: [ReturnType<BenchStack['processes']>[number]['role'], RegExp][] = [
  ['gateway', /gateway\/dist\/index\.js/],
  ['worker', /worker\/dist\/index\.js/],
  ['nginx', /^nginx: (master|worker) process/],
];

/** The gateways and workers started from this checkout, and every nginx (whose cwd says nothing). */
function processes(): ReturnType<BenchStack['processes']> {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        const role = ROLES.find(([, pattern]) => pattern.test(command))?.[0];
        if (!role) return [];
        if (role !== 'nginx' && readlinkSync(`/proc/${name}/cwd`) !== REPO_ROOT) return [];
        return [{ role, pid: Number(name) }];
      } catch {
        return [];
      }
    });
}

const section = await fanoutBench({ baseUrl, processes, redisUrl: '' });
console.log(`## ${section.title}\n\n${section.markdown}\n`);
for (const problem of section.problems) console.log(`PROBLEM: ${problem}`);
process.exitCode = section.problems.length > 0 ? 1 : 0;
