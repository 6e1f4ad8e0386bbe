/**
 * What each part of `npm run bench` hands to the writer of docs/benchmarks.md (scripts/bench.ts).
 */

/** A line chart, drawn as SVG into docs/benchmarks/<file>. */
export interface Chart {
  /** File name under docs/benchmarks/, e.g. `fibonacci.svg`. */
  file: string;
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: { name: string; points: [x: number, y: number][] }[];
}

/** One row of the summary table at the top of docs/benchmarks.md. */
export interface Figure {
  figure: string;
  measured: string;
  target: string;
  /** null: no target to meet (or it could not be measured here). */
  met: boolean | null;
}

export interface BenchSection {
  title: string;
  /** Markdown under the section's heading: how it was measured, tables, what limits it. */
  markdown: string;
  figures: Figure[];
  charts: Chart[];
  /** Something lost or wrong (not slow): `npm run bench` exits non-zero when any section has one. */
  problems: string[];
}

/** The running stack a section measures (scripts/bench/stack.ts). */
export interface BenchStack {
  /** nginx, the only public entry: `http://localhost:8080` unless BENCH_PORT says otherwise. */
  baseUrl: string;
  /** The stack's processes by role, read when called (a restarted service has a new pid). */
  processes(): { role: 'gateway' | 'worker' | 'nginx' | 'web' | 'redis' | 'postgres'; pid: number }[];
  /** The stack's Redis, for watching events and counting keys (never for writing). */
  redisUrl: string;
}

/** One part of `npm run bench`: measures the stack it is given and says what it found. */
export type BenchPart = (stack: BenchStack) => Promise<BenchSection>;
