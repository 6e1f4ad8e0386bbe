/**
 * `npm run crowd [-- <clients> [<base url>]]`: holds a crowd of live subscribers on a running stack
 * (default 10,000 on http://localhost:8080), each a graphql-ws socket from a loopback address of
 * its own, as nginx would see 10,000 people. Then one submission, and how long each subscriber
 * took to hear of it. Prints what each nginx worker and each gateway held (sockets, RSS) while the
 * crowd was there, and closes every socket it opened. Bounded: gives up after 5 minutes in all.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import WebSocket from 'ws';

const clients = Number(process.argv[2] ?? 10_000);
const base = process.argv[3] ?? 'http://localhost:8080';
const deadline = Date.now() + 5 * 60_000;
const left = () => Math.max(0, deadline - Date.now());

/** The n-th address of 127.60.0.0/14 (up to 65,024), the crowd's own block. */
const address = (n: number) => `127.${60 + Math.floor(n / 65_024)}.${Math.floor((n % 65_024) / 254)}.${(n % 254) + 1}`;

function processes(match: (cmdline: string) => boolean): { pid: number; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        return match(cmdline) ? [{ pid: Number(name), cmdline }] : [];
      } catch {
        return [];
      }
    });
}

function held(pid: number): { sockets: number; rssMb: number } {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const sockets = readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
  return { sockets, rssMb: Math.round(rss / 1024) };
}

async function graphql<T>(query: string, from: string): Promise<T> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, localAddress: from, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += String(chunk)));
        res.on('end', () => resolve((JSON.parse(body) as { data: T }).data));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const { values } = await graphql<{ values: { id: string }[] }>('{ values(limit: 1) { id } }', '127.59.0.1');
const after = values[0]?.id ?? '0';
const sockets: WebSocket[] = [];
const heardAt = new Map<number, number>();
let failed = 0;
const started = Date.now();

// Open in waves of 200, each socket initialised and subscribed before the next wave.
for (let first = 0; first < clients && left() > 0; first += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, clients - first) }, (_, i) => {
      const n = first + i;
      return new Promise<void>((resolve) => {
        const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/graphql`, 'graphql-transport-ws', {
          localAddress: address(n),
        });
        sockets.push(socket);
        const give = setTimeout(() => ((failed += 1), resolve()), Math.min(30_000, left()));
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string };
          if (message.type === 'connection_ack') {
            socket.send(
              JSON.stringify({
                id: 's',
                type: 'subscribe',
                payload: { query: `subscription { valueSubmitted(after: "${after}") { index } }` },
              }),
            );
            clearTimeout(give);
            resolve();
          } else if (message.type === 'next' && !heardAt.has(n)) heardAt.set(n, Date.now());
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(give);
          resolve();
        });
      });
    }),
  );
}
const open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
console.log(
  `${open} of ${clients} subscribers connected in ${((Date.now() - started) / 1000).toFixed(1)} s (${failed} timed out)`,
);

// Let every subscription reach its gateway, then measure what each process holds.
await new Promise((resolve) => setTimeout(resolve, Math.min(3_000, left())));
const nginxWorkers = processes((cmdline) => cmdline.startsWith('nginx: worker process'));
const gateways = processes((cmdline) => cmdline.includes('gateway/dist/index.js'));
for (const { pid } of nginxWorkers) console.log(`nginx worker ${pid}: ${JSON.stringify(held(pid))}`);
for (const { pid } of gateways) console.log(`gateway ${pid}: ${JSON.stringify(held(pid))}`);

const submittedAt = Date.now();
await graphql('mutation { submitValue(index: 4242) { index } }', '127.59.0.2');
while (heardAt.size < open && left() > 0 && Date.now() - submittedAt < 30_000) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const delays = [...heardAt.values()].map((at) => at - submittedAt).sort((a, b) => a - b);
console.log(
  `${delays.length} of ${open} heard the submission; delay ms p50 ${percentile(delays, 50)}, p99 ${percentile(delays, 99)}, max ${delays.at(-1)}`,
);
for (const socket of sockets) socket.terminate();
console.log('closed every socket');
