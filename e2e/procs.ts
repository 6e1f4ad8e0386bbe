/**
 * The stack's processes and sockets, read from Linux' /proc: no `ps` or `ss` needed (a slim
 * Debian has neither), and a developer's own stack, whose processes have another parent, is
 * never touched.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

function readProcess(pid: number): (ProcessInfo & { state: string }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (name) state ppid ...`: the name may hold spaces and parentheses, so read after the last ')'.
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(ppid), command, state };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every running process (zombies, which have exited, excluded). */
export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const p = readProcess(Number(name));
      return p && p.state !== 'Z' ? [{ pid: p.pid, ppid: p.ppid, command: p.command }] : [];
    });
}

/** Whether `pid` still runs the same program (a recycled pid runs another). */
export function isRunning({ pid, command }: ProcessInfo): boolean {
  const now = readProcess(pid);
  return now !== undefined && now.state !== 'Z' && now.command === command;
}

/** Children, grandchildren... of `root`. */
export function descendantsOf(root: number, all = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Pids of the stack's direct children running `entry`, e.g. `gateway/dist/index.js`. */
export function childPids(stackPid: number, entry: string): number[] {
  return listProcesses()
    .filter((p) => p.ppid === stackPid && p.command.includes(entry))
    .map((p) => p.pid);
}

export interface TcpUse {
  /** Ports the process listens on. */
  listening: number[];
  /** Established connections accepted on those ports (for a gateway behind nginx: open WebSockets). */
  inbound: number;
}

/** What `pid` does with TCP, from the socket inodes among its file descriptors. */
export function tcpOf(pid: number): TcpUse {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    }
  } catch {
    return { listening: [], inbound: 0 };
  }
  // Columns: sl local_address rem_address st ... inode (10th); ports in hex; st 0A = LISTEN, 01 = ESTABLISHED.
  const sockets = ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => inodes.has(cols[9] ?? ''))
    .map((cols) => ({ port: parseInt((cols[1] ?? '').split(':')[1] ?? '', 16), state: cols[3] }));
  const listening = sockets.filter((s) => s.state === '0A').map((s) => s.port);
  const inbound = sockets.filter((s) => s.state === '01' && listening.includes(s.port)).length;
  return { listening, inbound };
}

/** Resident memory of `pid` in MB (VmRSS), undefined once it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) `pid` has used so far, undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the name (which may hold spaces), utime and stime are the 12th and 13th fields, in USER_HZ (100) ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
