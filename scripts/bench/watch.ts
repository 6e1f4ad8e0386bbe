/**
 * What the stack's processes do while a load part of `npm run bench` runs: CPU and RSS per role
 * from /proc, and what the Postgres backends serving the stack's database wait on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { cpuMs, rssMb } from '../../e2e/procs.js';
import type { BenchStack } from './section.js';

/**
 * CPU each of the stack's processes (and this load client) used between start() and stop(), from
 * /proc/<pid>/stat, in percent of one core; the shared machine Postgres counted by the backends
 * serving the gateway's own database (read from the gateway's environment).
 */
export class CpuWatch {
  private before = new Map<string, { role: string; ms: number }>();
  private clientBefore = process.cpuUsage();
  private startedAt = 0;

  constructor(private readonly stack: BenchStack) {}

  start(): void {
    this.before = this.sample();
    this.clientBefore = process.cpuUsage();
    this.startedAt = performance.now();
  }

  /** Percent of one core per role (summed over its processes), plus `load client`. */
  stop(): { role: string; percent: number; processes: number; rssMb: number }[] {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const after = this.sample();
    const byRole = new Map<string, { ms: number; processes: number; rssMb: number }>();
    for (const [key, { role, ms }] of after) {
      const used = ms - (this.before.get(key)?.ms ?? ms);
      const entry = byRole.get(role) ?? { ms: 0, processes: 0, rssMb: 0 };
      entry.ms += used;
      entry.processes += 1;
      entry.rssMb += Math.round(rssMb(Number(key.split(':')[0])) ?? 0);
      byRole.set(role, entry);
    }
    const client = process.cpuUsage(this.clientBefore);
    const rows = [...byRole].map(([role, { ms, processes, rssMb: rss }]) => ({
      role,
      percent: ms / 10 / seconds,
      processes,
      rssMb: rss,
    }));
    rows.push({
      role: 'load client (this process)',
      percent: (client.user + client.system) / 1e4 / seconds,
      processes: 1,
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    });
    return rows.sort((a, b) => b.percent - a.percent);
  }

  private sample(): Map<string, { role: string; ms: number }> {
    const found = new Map<string, { role: string; ms: number }>();
    const add = (pid: number, role: string) => {
      const ms = cpuMs(pid);
      if (ms !== undefined) found.set(`${pid}:${startTime(pid)}`, { role, ms });
    };
    const processes = this.stack.processes();
    for (const { role, pid } of processes) add(pid, role);
    const gateway = processes.find((p) => p.role === 'gateway');
    const database = gateway ? databaseOf(gateway.pid) : null;
    if (database) for (const pid of postgresBackends(database)) add(pid, 'postgres (backends of its database)');
    return found;
  }
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function startTime(pid: number): string {
  return statFields(pid)?.[19] ?? '';
}

/** DATABASE_URL of the stack's (first) gateway: its database. */
function stackDatabaseUrl(stack: BenchStack): string | null {
  const gateway = stack.processes().find((p) => p.role === 'gateway');
  return gateway ? databaseUrlOf(gateway.pid) : null;
}

function databaseUrlOf(pid: number): string | null {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((e) => e.startsWith('DATABASE_URL='));
    return entry ? entry.slice('DATABASE_URL='.length) : null;
  } catch {
    return null;
  }
}

function databaseOf(pid: number): string | null {
  const url = databaseUrlOf(pid);
  return url ? new URL(url).pathname.slice(1) : null;
}

/**
 * What the Postgres backends serving the stack's database are doing, sampled from pg_stat_activity
 * every 100 ms: on average how many wait on a lock, on the WAL's flush at commit, for the gateway's
 * next statement inside a transaction, or run. A cheap profile of where a submission's time goes.
 */
export class PostgresWaits {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  private constructor(private readonly client: pg.Client) {}

  /** null when the stack's database cannot be found or reached (then nothing is sampled). */
  static async start(stack: BenchStack): Promise<PostgresWaits | null> {
    const url = stackDatabaseUrl(stack);
    if (!url) return null;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
    } catch {
      return null;
    }
    const waits = new PostgresWaits(client);
    waits.timer = setInterval(() => void waits.sample(), 100);
    return waits;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: string }>(
        `SELECT state || coalesce(' / ' || wait_event_type || ':' || wait_event, '') AS what, count(*) AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
      );
      this.samples += 1;
      for (const { what, n } of rows) this.counts.set(what, (this.counts.get(what) ?? 0) + Number(n));
    } catch {
      // a sample lost is no matter
    } finally {
      this.busy = false;
    }
  }

  /** Average backends in each state over the samples, as a markdown table. */
  async stop(): Promise<string> {
    clearInterval(this.timer);
    await this.client.end().catch(() => undefined);
    const rows = [...this.counts]
      .map(([what, n]): [string, number] => [what, n / Math.max(1, this.samples)])
      .sort((a, b) => b[1] - a[1]);
    return [
      `| backend state / wait event (${this.samples} samples) | backends on average |`,
      '|---|---:|',
      ...rows.map(([what, n]) => `| ${what} | ${n.toFixed(2)} |`),
    ].join('\n');
  }
}

function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // `postgres: [<cluster>: ]<user> <database> <client> <state>` (Debian names the cluster)
      if (/^postgres: (?:\S+: )?\S+ (\S+) /.exec(command)?.[1] === database) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A markdown table of CpuWatch.stop()'s rows. */
export function cpuTable(rows: ReturnType<CpuWatch['stop']>): string {
  return [
    '| process | CPU (% of one core) | processes | RSS at the end |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.role} | ${r.percent.toFixed(0)} % | ${r.processes} | ${r.rssMb} MB |`),
  ].join('\n');
}

/**
 * The stack's gateways and workers as they run now (pid and start time each), to check that none
 * restarted while a part measured: a gateway that cannot bind its port (another stack on this
 * machine took it first) restarts in a loop, while nginx forwards to whatever holds that port.
 */
export function servicesNow(stack: BenchStack): string {
  const services = stack
    .processes()
    .filter(({ role }) => role === 'gateway' || role === 'worker')
    .map(({ role, pid }) => `${role} ${pid} (started at tick ${startTime(pid)})`)
    .sort();
  if (!services.some((s) => s.startsWith('gateway'))) throw new Error('the bench stack has no gateway running');
  return services.join(', ');
}

/** Throws when the stack's gateways and workers are not those `before` found. */
export function assertNoRestart(stack: BenchStack, before: string): void {
  const now = servicesNow(stack);
  if (now !== before) {
    throw new Error(
      `the stack's services changed while measuring (before: ${before}; after: ${now}); its log says why ` +
        '(a gateway that could not bind its port because another stack on this machine holds it?)',
    );
  }
}

/**
 * The round trips a fresh submission cannot go without, each timed alone, one at a time, from
 * this process: a Redis command (PING on a plain socket: nothing but the network and Redis) and a
 * Postgres INSERT of one row, committed, into a table of its own in the stack's database (the
 * same server and settings as the gateway's inserts), dropped afterwards. Throws, saying why, when
 * they cannot be timed; every wait is bounded (2 s).
 */
export async function roundTrips(stack: BenchStack, samples: number): Promise<{ redis: number[]; postgres: number[] }> {
  const url = stackDatabaseUrl(stack);
  if (!url) throw new Error("the stack's database was not found");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
  client.on('error', () => undefined); // a lost connection fails the query in flight, which says so
  const { hostname, port } = new URL(stack.redisUrl);
  const socket = net.connect(Number(port || 6379), hostname);
  socket.setNoDelay(true);
  let answer = '';
  let answered: (() => void) | undefined;
  socket.on('data', (chunk) => {
    answer += chunk.toString('latin1');
    if (answer.endsWith('\r\n')) answered?.();
  });
  const ping = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Redis did not answer PING within 2 s')), 2_000);
      answer = '';
      answered = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.write('PING\r\n');
    });
  try {
    await Promise.all([
      client.connect(),
      new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject)),
    ]);
    await client.query(
      'CREATE TABLE bench_round_trips (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())',
    );
    const redis: number[] = [];
    const postgres: number[] = [];
    const insert = { name: 'bench-round-trip', text: 'INSERT INTO bench_round_trips DEFAULT VALUES' };
    for (let i = -30; i < samples; i++) {
      let started = performance.now();
      await ping();
      const redisMs = performance.now() - started;
      started = performance.now();
      await client.query(insert);
      if (i < 0) continue;
      redis.push(redisMs);
      postgres.push(performance.now() - started);
    }
    return { redis, postgres };
  } finally {
    socket.destroy();
    await client.query('DROP TABLE IF EXISTS bench_round_trips').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** CPU time (ms, user + system) each of `pids` has used so far. */
export function cpuMsOf(pids: number[]): Map<number, number> {
  return new Map(
    pids.flatMap((pid) => {
      const used = cpuMs(pid);
      return used === undefined ? [] : [[pid, used] as const];
    }),
  );
}
/** CPU time (ms) the processes of `before` (cpuMsOf) have used since. */
export const usedSince = (before: Map<number, number>) =>
  [...cpuMsOf([...before.keys()])].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? ms), 0);
