/**
 * What the load parts of `npm run bench` make of their samples: percentiles, distributions as
 * markdown rows, and a cheap exact check of every valueCalculated event they receive.
 */
import type { CalculatedEvent } from './load.js';

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const CHART_PERCENTILES = [50, 60, 70, 80, 90, 95, 97, 98, 99, 99.5, 99.9];

export interface Distribution {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** [percentile, ms] at CHART_PERCENTILES. */
  curve: [number, number][];
}

export function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p);
  return {
    n: sorted.length,
    mean: sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: sorted.at(-1) ?? Number.NaN,
    curve: CHART_PERCENTILES.map((p) => [p, Number(at(p).toFixed(3))]),
  };
}

/** Whole milliseconds, with thousands separated: `1,234 ms`. */
export const wholeMs = (value: number) =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} ms` : '-';
export const count = (n: number) => n.toLocaleString('en-US');
export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : '-');

/** A markdown table row of a distribution. */
export function distributionRow(name: string, d: Distribution): string {
  return `| ${name} | ${d.n} | ${ms(d.p50)} | ${ms(d.p90)} | ${ms(d.p99)} | ${ms(d.p999)} | ${ms(d.max)} | ${ms(d.mean)} |`;
}
export const DISTRIBUTION_HEADER =
  '| | samples | p50 | p90 | p99 | p99.9 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|';

/**
 * Whether an event shows F(index) as it is, cheaply enough to check every event of a run: below
 * 200 the exact value; above, the digit count from log10(φ^n/√5) (F(n) is that rounded, and its
 * log10 never falls within double precision of an integer in this range) and the preview's last
 * 20 digits from F(n) mod 10^20.
 */
export class FibonacciCheck {
  private static readonly TAIL = 10n ** 20n;
  private readonly tails: bigint[] = [0n, 1n];
  private readonly small: bigint[] = [0n, 1n];

  /** null when the event shows F(index) correctly, else what is wrong. */
  problem(event: CalculatedEvent): string | null {
    const n = event.index;
    if (event.status !== 'DONE') return `F(${n}): status ${event.status}`;
    const digits = this.digits(n);
    if (event.digits !== digits) return `F(${n}): ${event.digits} digits, expected ${digits}`;
    const preview = event.preview ?? '';
    if (n < 200) {
      const value = this.exact(n).toString();
      const short = value.length <= 41 ? value : `${value.slice(0, 20)}…${value.slice(-20)}`;
      return preview === short ? null : `F(${n}): preview ${preview}, expected ${short}`;
    }
    const tail = this.tail(n).toString().padStart(20, '0');
    return preview.endsWith(`…${tail}`) ? null : `F(${n}): preview ${preview}, expected it to end …${tail}`;
  }

  private digits(n: number): number {
    if (n < 200) return this.exact(n).toString().length;
    return Math.floor(n * Math.log10((1 + Math.sqrt(5)) / 2) - Math.log10(5) / 2) + 1;
  }

  private exact(n: number): bigint {
    while (this.small.length <= n) this.small.push(this.small.at(-1)! + this.small.at(-2)!);
    return this.small[n]!;
  }

  private tail(n: number): bigint {
    while (this.tails.length <= n) this.tails.push((this.tails.at(-1)! + this.tails.at(-2)!) % FibonacciCheck.TAIL);
    return this.tails[n]!;
  }
}
