/**
 * Draws a bench's `Chart` (section.ts) as a self-contained SVG line chart: axes with ticks (linear
 * or log 10), one coloured polyline with dots per series, a legend above the plot. Plain text out, so the charts
 * in docs/benchmarks/ diff and render on GitHub without anything else.
 */
import type { Chart } from './section.js';

const WIDTH = 720;
const HEIGHT = 420;
/** The legend is one row between the title and the plot, where it cannot hide a line. */
const MARGIN = { left: 70, right: 20, top: 58, bottom: 60 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

interface Axis {
  toPixel(value: number): number;
  ticks: number[];
}

function axis(values: number[], log: boolean, from: number, to: number): Axis {
  const usable = log ? values.filter((v) => v > 0) : values;
  let low = Math.min(...usable);
  let high = Math.max(...usable);
  if (log) {
    low = 10 ** Math.floor(Math.log10(low));
    high = 10 ** Math.ceil(Math.log10(high));
    if (low === high) high = low * 10;
    const ticks: number[] = [];
    for (let t = low; t <= high * 1.0001; t *= 10) ticks.push(t);
    const scale = (v: number) => (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    return { toPixel: (v) => from + scale(v) * (to - from), ticks };
  }
  if (low > 0 && low < high / 3) low = 0;
  if (low === high) high = low + 1;
  const step = niceStep((high - low) / 6);
  low = Math.floor(low / step) * step;
  high = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let t = low; t <= high + step / 1000; t += step) ticks.push(Number(t.toPrecision(12)));
  return { toPixel: (v) => from + ((v - low) / (high - low)) * (to - from), ticks };
}

function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const [step] = [1, 2, 2.5, 5, 10].filter((m) => m * magnitude >= raw);
  return (step ?? 10) * magnitude;
}

function label(value: number, log: boolean): string {
  const abs = Math.abs(value);
  const power = Math.log10(abs);
  if (log && Number.isInteger(power) && (power >= 4 || power <= -3)) return `10^${power}`;
  if (abs >= 10_000) return value.toLocaleString('en-US');
  return String(Number(value.toPrecision(4)));
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(chart: Chart): string {
  const points = chart.series.flatMap((s) => s.points);
  if (points.length === 0) throw new Error(`chart ${chart.file} has no points`);
  const x = axis(
    points.map(([px]) => px),
    chart.logX ?? false,
    MARGIN.left,
    WIDTH - MARGIN.right,
  );
  const y = axis(
    points.map(([, py]) => py),
    chart.logY ?? false,
    HEIGHT - MARGIN.bottom,
    MARGIN.top,
  );
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
  ];
  const [left, right, top, bottom] = [MARGIN.left, WIDTH - MARGIN.right, MARGIN.top, HEIGHT - MARGIN.bottom];
  for (const tick of x.ticks) {
    const px = x.toPixel(tick).toFixed(1);
    out.push(`<line x1="${px}" x2="${px}" y1="${top}" y2="${bottom}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${px}" y="${bottom + 16}" text-anchor="middle">${label(tick, chart.logX ?? false)}</text>`);
  }
  for (const tick of y.ticks) {
    const py = y.toPixel(tick).toFixed(1);
    out.push(`<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${left - 6}" y="${Number(py) + 4}" text-anchor="end">${label(tick, chart.logY ?? false)}</text>`,
    );
  }
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(left + right) / 2}" y="${HEIGHT - 18}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
  );
  let legendX = left;
  chart.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const drawable = series.points.filter(([px, py]) => (!chart.logX || px > 0) && (!chart.logY || py > 0));
    const coords = drawable.map(([px, py]) => `${x.toPixel(px).toFixed(1)},${y.toPixel(py).toFixed(1)}`);
    if (coords.length > 1) {
      out.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    if (coords.length <= 60) {
      for (const c of coords) {
        const [cx, cy] = c.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
      }
    }
    out.push(`<rect x="${legendX}" y="${top - 17}" width="14" height="4" fill="${colour}"/>`);
    out.push(`<text x="${legendX + 20}" y="${top - 11}">${escape(series.name)}</text>`);
    legendX += 40 + series.name.length * 7;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
