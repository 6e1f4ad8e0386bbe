/**
 * Resident memory of every process of the bench's stack, read from /proc every 250 ms while the
 * parts on the stack run (the fan-out part reports the gateway's and worker's against issue 11's
 * 128 MB), and whether a Node process still serves the web client (nginx should, from web/dist).
 */
import { rssMb } from '../../e2e/procs.js';
import type { BenchSection, BenchStack, Chart } from './section.js';

type Role = ReturnType<BenchStack['processes']>[number]['role'];
const ROLES: Role[] = ['gateway', 'worker', 'nginx', 'web', 'redis'];

export class RssSampler {
  private readonly t0 = performance.now();
  private current = 'start';
  /** Per phase and role: the largest single process, and the largest sum over the role's processes. */
  private readonly peaks = new Map<string, Map<Role, { one: number; all: number }>>();
  private readonly timeline = new Map<Role, [number, number][]>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly stack: BenchStack) {
    this.timer = setInterval(() => this.sample(), 250);
    this.sample();
  }

  /** What the stack is doing from now on, for the table. */
  phase(name: string): void {
    this.sample();
    this.current = name;
  }

  private sample(): void {
    const byRole = new Map<Role, number[]>();
    for (const { role, pid } of this.stack.processes()) {
      const mb = rssMb(pid);
      if (mb !== undefined) byRole.set(role, [...(byRole.get(role) ?? []), mb]);
    }
    const peaks = this.peaks.get(this.current) ?? new Map<Role, { one: number; all: number }>();
    this.peaks.set(this.current, peaks);
    const seconds = (performance.now() - this.t0) / 1000;
    for (const [role, values] of byRole) {
      const one = Math.max(...values);
      const all = values.reduce((a, b) => a + b, 0);
      const peak = peaks.get(role) ?? { one: 0, all: 0 };
      peaks.set(role, { one: Math.max(peak.one, one), all: Math.max(peak.all, all) });
      this.timeline.set(role, [...(this.timeline.get(role) ?? []), [seconds, all]]);
    }
  }

  stop(): BenchSection {
    this.sample();
    clearInterval(this.timer);
    const phases = [...this.peaks.keys()];
    const peakOf = (role: Role, kind: 'one' | 'all') =>
      Math.max(0, ...phases.map((phase) => this.peaks.get(phase)?.get(role)?.[kind] ?? 0));
    const present = ROLES.filter((role) => peakOf(role, 'all') > 0);
    const mb = (value: number | undefined) => (value ? value.toFixed(0) : '-');
    const table = [
      `| phase | ${present.map((role) => `${role} MB`).join(' | ')} |`,
      `|---|${present.map(() => '---:').join('|')}|`,
      ...phases.map((phase) => {
        const peaks = this.peaks.get(phase);
        const cells = present.map((role) => {
          const peak = peaks?.get(role);
          return peak && peak.all > peak.one + 0.5 ? `${mb(peak.one)} (all: ${mb(peak.all)})` : mb(peak?.one);
        });
        return `| ${phase} | ${cells.join(' | ')} |`;
      }),
    ];
    const web = peakOf('web', 'all');
    const chart: Chart = {
      file: 'rss.svg',
      title: 'Resident memory of the stack while the bench runs',
      xLabel: 'seconds since the stack was ready',
      yLabel: 'RSS, MB (all processes of the role)',
      series: present.map((role) => ({ name: role, points: this.timeline.get(role) ?? [] })),
    };
    return {
      title: 'Memory (RSS per process)',
      markdown: [
        'VmRSS of each process of the stack, read from /proc every 250 ms, the largest in each phase',
        '(per process; "all" sums the processes of a role where there are several, e.g. nginx master and',
        'workers). Postgres is left out: the bench uses a server shared with other work.',
        '',
        ...table,
      ].join('\n'),
      figures: [
        {
          figure: "local stack's static web server",
          measured:
            web > 0
              ? `a Node process, ${web.toFixed(0)} MB`
              : `nginx itself (${peakOf('nginx', 'all').toFixed(0)} MB, all its processes)`,
          target: 'nginx serves web/dist itself',
          met: web === 0,
        },
      ],
      charts: [chart],
      problems: [],
    };
  }
}
