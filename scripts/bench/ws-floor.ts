/**
 * What one idle WebSocket costs a Node process that does nothing else with it: the floor under the
 * gateway's memory per subscriber (docs/limits.md, "What a subscriber costs the gateway"). A child
 * process serves bare `ws` sockets on a loopback port, as the gateway's HTTP server upgrades them
 * (no graphql-ws, no subscription); this process opens `count` of them, each from a loopback
 * address of its own (127.64.0.0/16: no other block of the bench's), and asks the child for its
 * RSS and V8 heap after a full GC, before and after. Bounded (60 s) and closes everything.
 *   npx tsx scripts/bench/ws-floor.ts [count=5000]
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

interface Usage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  sockets: number;
}

if (process.argv[2] === 'serve') {
  const sockets = new WebSocketServer({ noServer: true });
  const server = http.createServer();
  server.on('upgrade', (request, socket, head) =>
    sockets.handleUpgrade(request, socket, head, (ws) => ws.on('message', () => undefined)),
  );
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    process.send!({ rss, heapUsed, heapTotal, sockets: sockets.clients.size } satisfies Usage);
  });
  process.on('disconnect', () => process.exit(0));
} else {
  const count = Number(process.argv[2] ?? 5_000);
  if (!Number.isInteger(count) || count < 1 || count > 60_000) throw new RangeError('count: 1..60,000');
  const child = fork(import.meta.filename, ['serve'], { execArgv: ['--import', 'tsx', '--expose-gc'] });
  const timer = setTimeout(() => {
    console.error('ws-floor: not done in 60 s');
    child.kill();
    process.exit(1);
  }, 60_000);
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (message) => resolve(message as T)));
  const usage = () => {
    const answer = next<Usage>();
    child.send('usage');
    return answer;
  };
  const { port } = await next<{ port: number }>();
  const before = await usage();
  const clients: WebSocket[] = [];
  let refused = 0;
  for (let n = 0; n < count; n += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - n) }, (_, k) => {
        const i = n + k;
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`, {
          localAddress: `127.64.${Math.floor(i / 254)}.${(i % 254) + 1}`,
          perMessageDeflate: false,
        });
        clients.push(ws);
        return new Promise<void>((resolve) => {
          ws.once('open', () => resolve());
          ws.once('error', () => {
            refused += 1;
            resolve();
          });
        });
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await usage();
  const per = (key: keyof Usage) => ((after[key] - before[key]) / after.sockets / 1024).toFixed(1);
  console.log(
    `${after.sockets} bare ws sockets held (${refused} refused): RSS ${(before.rss / 2 ** 20).toFixed(0)} -> ` +
      `${(after.rss / 2 ** 20).toFixed(0)} MB, ${per('rss')} kB a socket; V8 heap used ${per('heapUsed')} kB, ` +
      `heap total ${per('heapTotal')} kB a socket (after a full GC)`,
  );
  for (const ws of clients) ws.terminate();
  clearTimeout(timer);
  child.disconnect();
}
