/**
 * Top frames of a .cpuprofile (node --cpu-prof, or cpu-prof.mjs): self time by function and by
 * package, and inclusive time of the frames that matter.
 *   npx tsx scripts/bench-gateway/profile-summary.ts <file.cpuprofile> [top=25] [filter regexp for inclusive]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, topArg, filter] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfCount = new Map<number, number>();
for (const s of profile.samples) selfCount.set(s, (selfCount.get(s) ?? 0) + 1);
const total = profile.samples.length;
const idle = profile.nodes
  .filter((n) => n.callFrame.functionName === '(idle)')
  .reduce((a, n) => a + (selfCount.get(n.id) ?? 0), 0);
const busy = total - idle;

const pkg = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  if (url.includes('/dist/') || url.includes('/src/')) return 'fibgraph:' + url.split('/').slice(-2).join('/');
  return url || '(native)';
};
const name = (n: Node) =>
  `${n.callFrame.functionName || '(anon)'} ${pkg(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const selfPkg = new Map<string, number>();
const incl = new Map<string, number>();
for (const [id, count] of selfCount) {
  const n = byId.get(id)!;
  if (n.callFrame.functionName === '(idle)') continue;
  self.set(name(n), (self.get(name(n)) ?? 0) + count);
  selfPkg.set(pkg(n.callFrame.url), (selfPkg.get(pkg(n.callFrame.url)) ?? 0) + count);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + count);
  }
}
const pct = (c: number) => `${((100 * c) / busy).toFixed(1).padStart(5)}%`;
const show = (title: string, m: Map<string, number>, n: number, re?: RegExp) => {
  console.log(`\n${title}`);
  [...m]
    .filter(([k]) => !re || re.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, c]) => console.log(`${pct(c)}  ${k}`));
};
console.log(`${file}: ${total} samples, busy ${busy} (${((100 * busy) / total).toFixed(0)}%)`);
show('self time by package', selfPkg, 20);
show('self time by function', self, top);
show('inclusive time', incl, top, filter ? new RegExp(filter) : undefined);
