/**
 * Child process entry: serves the built web client (web/dist) with the SPA fallback, via Vite's
 * preview server. With --api it is also the routing proxy for machines without nginx: /api/* goes
 * to that gateway, prefix stripped, WebSocket upgrades included.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { REPO_ROOT } from './repo.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    api: { type: 'string' },
  },
});
if (!values.port) {
  console.error('usage: web-server --port <port> [--host <host>] [--api http://host:port]');
  process.exit(2);
}

const proxy = values.api
  ? {
      '^/api(/|$)': {
        target: values.api,
        ws: true,
        rewrite: (url: string) => url.replace(/^\/api/, '') || '/',
      },
    }
  : undefined;

const server = await preview({
  root: path.join(REPO_ROOT, 'web'),
  logLevel: 'warn',
  // Behind the stack's proxy the Host header is whatever the browser used; the DNS-rebinding
  // guard would otherwise refuse anything but localhost.
  preview: { port: Number(values.port), strictPort: true, host: values.host, allowedHosts: true, proxy, open: false },
});
console.log(`serving web/dist on ${values.host}:${values.port}${values.api ? `, /api -> ${values.api}` : ''}`);

// Vite closes the preview server on SIGTERM by itself, then exits 143; a requested stop is a
// clean exit (0), which the stack's supervisor must not take for a crash.
const stop = () => {
  process.exitCode = 0;
  // Open subscription sockets could hold close() for a long time; this server keeps no state worth waiting for.
  setTimeout(() => process.exit(0), 2000).unref();
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
