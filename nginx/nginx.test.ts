import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  findNginx,
  getFreePort,
  type ManagedChild,
  prepareNginx,
  renderDefaultConf,
  spawnChild,
  waitUntil,
} from '@fibgraph/devstack';
import { request, StandIn } from './stand-ins.js';

const source = readFileSync(new URL('./default.conf', import.meta.url), 'utf8');

describe('nginx/default.conf rendered for the local stack', () => {
  it('differs from the container config only in upstream servers and the listen port', () => {
    const rendered = renderDefaultConf(source, {
      apiServers: ['127.0.0.1:5000', '127.0.0.1:5001'],
      webServer: '127.0.0.1:3000',
      listenPort: 8080,
    });
    const changed = (text: string, other: string) =>
      text.split('\n').filter((line) => !other.split('\n').includes(line));
    expect(changed(source, rendered).map((line) => line.trim())).toEqual([
      'server api:5000 resolve;',
      'server web:3000 resolve;',
      'listen 80;',
    ]);
    expect(changed(rendered, source).map((line) => line.trim())).toEqual([
      'server 127.0.0.1:5000;',
      'server 127.0.0.1:5001;',
      'server 127.0.0.1:3000;',
      'listen 8080;',
    ]);
  });

  it('is sized for 10,000 live WebSockets (two connections each) in the image and the local stack alike', () => {
    const main = readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8');
    const setting = (name: string) =>
      /^\s*(\S+)\s+(\S+);/m.exec(main.split('\n').find((l) => l.trim().startsWith(`${name} `)) ?? '')?.[2];
    expect(setting('worker_processes')).toBe('auto');
    // Two workers on the smallest machine this runs on (2 cores).
    expect(2 * Number(setting('worker_connections'))).toBeGreaterThanOrEqual(2 * 10_000);
    expect(Number(setting('worker_rlimit_nofile'))).toBeGreaterThan(Number(setting('worker_connections')));
    const dir = prepareNginx({ apiServers: ['127.0.0.1:5000'], webServer: '127.0.0.1:3000', listenPort: 8080 }).dir;
    const rendered = readFileSync(`${dir}/nginx.conf`, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    for (const name of ['worker_processes', 'worker_rlimit_nofile', 'worker_connections']) {
      expect(rendered.split('\n').filter((l) => l.trim().startsWith(`${name} `))).toEqual(
        main.split('\n').filter((l) => l.trim().startsWith(`${name} `)),
      );
    }
  });

  it('keeps subscription sockets open far longer than the gateway keep-alive of 12 s', () => {
    const graphqlLocation = /location \/api\/graphql \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const seconds = Number(/proxy_read_timeout (\d+)s;/.exec(graphqlLocation)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(120);
  });
});

describe('names that move (nginx/upstreams.sh, run by the image at every start)', () => {
  const script = new URL('./upstreams.sh', import.meta.url).pathname;
  const sourceFile = new URL('./default.conf', import.meta.url).pathname;
  const upstreams = [...source.matchAll(/^\s*upstream\s+(\S+)\s*\{([^}]*)\}/gm)].map(([, name, body]) => ({
    name: name!,
    servers: [...body!.matchAll(/^\s*server\s+([^;]+);/gm)].map((server) => server[1]!.trim().split(/\s+/)),
    zone: /^\s*zone\s+\S+\s+\d+k;/m.test(body!),
  }));
  const composeResolvConf = 'nameserver 127.0.0.11\nsearch example.internal\noptions ndots:0\n';
  const plainHosts = '127.0.0.1\tlocalhost\n172.18.0.5\t0f1e2d3c4b5a\n';
  const withoutResolve = source.replace(/^(\s*server\s+\S+) resolve;/gm, '$1;');

  /** Runs the script on this default.conf with a resolv.conf, a hosts file and NGINX_RESOLVER. */
  function runUpstreams(resolvConf: string, hosts: string, resolver?: string) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-upstreams-'));
    try {
      writeFileSync(path.join(dir, 'resolv.conf'), resolvConf);
      writeFileSync(path.join(dir, 'hosts'), hosts);
      const env = { PATH: process.env.PATH, RESOLV_CONF: `${dir}/resolv.conf`, HOSTS_FILE: `${dir}/hosts` };
      execFileSync('sh', [script, sourceFile, dir], {
        env: resolver === undefined ? env : { ...env, NGINX_RESOLVER: resolver },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
      return { resolver: read('resolver.conf'), defaultConf: read('default.conf') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('has every upstream server re-resolve its name (`resolve`, nginx >= 1.27.3), each upstream in a zone', () => {
    expect(upstreams.map((upstream) => upstream.name)).toEqual(['api', 'web']);
    for (const upstream of upstreams) {
      expect(upstream.zone, `upstream ${upstream.name} has a zone`).toBe(true);
      expect(upstream.servers.length).toBeGreaterThan(0);
      for (const server of upstream.servers) expect(server, `upstream ${upstream.name}`).toContain('resolve');
    }
    // Re-resolving keeps the gateways' kept-alive connections.
    expect(source).toMatch(/upstream api \{[^}]*keepalive 64;/);
  });

  it('gives nginx the first nameserver of resolv.conf (Docker embedded DNS in compose), re-asked every 10 s', () => {
    const { resolver, defaultConf } = runUpstreams(composeResolvConf, plainHosts);
    expect(resolver).toBe('resolver 127.0.0.11 valid=10s ipv6=off;\n');
    expect(defaultConf).toBe(source);
  });

  it('takes the DNS servers NGINX_RESOLVER names, IPv6 ones in brackets', () => {
    expect(runUpstreams(composeResolvConf, plainHosts, '10.0.0.2, fd00::53').resolver).toBe(
      'resolver 10.0.0.2 [fd00::53] valid=10s ipv6=off;\n',
    );
    expect(() => runUpstreams(composeResolvConf, plainHosts, '10.0.0.2;include /etc/passwd')).toThrow(/NGINX_RESOLVER/);
  });

  it.each([
    [
      'links put the names in /etc/hosts (Elastic Beanstalk)',
      composeResolvConf,
      `${plainHosts}172.17.0.4\tapi api ecs-fibgraph-1-api-c2ad99be\n`,
      undefined,
    ],
    ['NGINX_RESOLVER=off', composeResolvConf, plainHosts, 'off'],
    [
      'a Kubernetes pod',
      'search fib.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
      plainHosts,
      undefined,
    ],
    ['no nameserver', '', plainHosts, undefined],
  ])('resolves the names once, at start, where %s', (_where, resolvConf, hosts, resolver) => {
    const written = runUpstreams(resolvConf, hosts, resolver);
    expect(written.resolver).toBe('');
    expect(written.defaultConf).toBe(withoutResolve);
    expect(written.defaultConf).not.toMatch(/^\s*server\s[^;]*\bresolve\b/m);
  });

  it('renders for the local stack (nginx 1.22, no `resolve`) what the image runs without a resolver', () => {
    const routing = { apiServers: ['127.0.0.1:5000'], webServer: '127.0.0.1:3000', listenPort: 8080 };
    const rendered = renderDefaultConf(source, routing);
    expect(rendered).not.toMatch(/^\s*server\s[^;]*\bresolve\b/m);
    expect(rendered).toBe(renderDefaultConf(withoutResolve, routing));
  });

  it('is run by the image on the file it ships, after REAL_IP_FROM, into the conf.d nginx.conf includes', () => {
    const dockerfile = readFileSync(new URL('./Dockerfile', import.meta.url), 'utf8');
    const defaults = readFileSync(script, 'utf8');
    const shipped = /^COPY default\.conf (\S+)$/m.exec(dockerfile)?.[1];
    expect(defaults).toContain(`source="\${1:-${shipped}}"`);
    expect(defaults).toContain('dir="${2:-/etc/nginx/conf.d}"');
    expect(dockerfile).toMatch(/^COPY --chmod=0755 real-ip\.sh \/docker-entrypoint\.d\/15-real-ip\.sh$/m);
    expect(dockerfile).toMatch(/^COPY --chmod=0755 upstreams\.sh \/docker-entrypoint\.d\/16-upstreams\.sh$/m);
    expect(readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8')).toMatch(
      /^\s*include \/etc\/nginx\/conf\.d\/\*\.conf;$/m,
    );
  });
});

/** The local stack's nginx (this config, rendered) in front of stand-ins, with `env` (REAL_IP_FROM). */
async function startNginx(gateways: StandIn[], web: StandIn, env: NodeJS.ProcessEnv = {}) {
  const binary = findNginx();
  // Not a skip: without nginx the routing rules would go untested while the suite looks green.
  if (!binary) throw new Error('nginx is not installed; install it with: apt-get update && apt-get install -y nginx');
  const port = await getFreePort();
  const prepared = prepareNginx(
    {
      apiServers: gateways.map((gateway) => `127.0.0.1:${gateway.port}`),
      webServer: `127.0.0.1:${web.port}`,
      listenPort: port,
    },
    { PATH: process.env.PATH, ...env },
  );
  const nginx = spawnChild('nginx', binary, prepared.args);
  const base = `http://127.0.0.1:${port}`;
  await waitUntil('nginx', async () => (await fetch(`${base}/nginx-health`)).ok, { abort: nginx.exitedEarly });
  return { nginx, nginxDir: prepared.dir, base };
}

describe('routing through a real nginx', () => {
  const gateways: StandIn[] = [];
  let web: StandIn;
  let nginx: ManagedChild | undefined;
  let nginxDir: string | undefined;
  let base: string;
  const seenByGateways = () => gateways.flatMap((gateway) => gateway.seen);

  beforeAll(async () => {
    gateways.push(await StandIn.gateway(), await StandIn.gateway());
    web = await StandIn.web();
    ({ nginx, nginxDir, base } = await startNginx(gateways, web));
  });

  afterAll(async () => {
    await nginx?.stop('SIGTERM', 5_000);
    if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
    await Promise.all([...gateways, web].map((server) => server?.close()));
  });

  it('sends /api/... to the gateways with /api stripped, balancing between them', async () => {
    // More requests than nginx has workers (one per core), each of which balances on its own.
    for (let i = 0; i < 32; i++) {
      expect((await request(`${base}/api/healthz?n=${i}`, { localAddress: '127.0.0.10' })).status).toBe(200);
    }
    expect((await request(`${base}/api/graphql?query=%7Bvalues%7Bindex%7D%7D`)).status).toBe(200);
    expect(seenByGateways().map((seen) => seen.url)).toEqual(
      expect.arrayContaining(['/healthz?n=0', '/healthz?n=31', '/graphql?query=%7Bvalues%7Bindex%7D%7D']),
    );
    for (const gateway of gateways)
      expect(gateway.seen.filter((seen) => seen.url.startsWith('/healthz')).length).toBeGreaterThan(0);
  });

  it('sends every other path to the web client', async () => {
    const page = await request(`${base}/history/42`);
    expect(page.status).toBe(200);
    expect(web.seen.at(-1)?.url).toBe('/history/42');
  });

  it('passes Host, X-Forwarded-For, X-Forwarded-Proto and a request id, and returns the id', async () => {
    const response = await request(`${base}/api/readyz`);
    const seen = seenByGateways().find((request) => request.url === '/readyz');
    expect(seen?.headers).toMatchObject({
      host: '127.0.0.1',
      'x-forwarded-host': new URL(base).host,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(seen?.headers['x-request-id']).toBe(response.headers['x-request-id']);

    // An id from a load balancer in front is kept; anything that does not look like an id is not.
    const kept = await request(`${base}/api/healthz`, { headers: { 'x-request-id': 'lb-0c4f9a17' } });
    expect(kept.headers['x-request-id']).toBe('lb-0c4f9a17');
    const replaced = await request(`${base}/api/healthz`, { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('upgrades graphql-ws WebSockets on /api/graphql to the gateway path /graphql', async () => {
    // The stand-in accepts sockets on /graphql only: an open socket proves the prefix was stripped.
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/graphql`, 'graphql-transport-ws');
    const echoed = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe('graphql-transport-ws');
    socket.send('{"type":"connection_init"}');
    expect(await echoed).toBe('echo:{"type":"connection_init"}');
    socket.close();
  });

  it('sets the security headers on pages, API answers and errors, replacing any from upstream', async () => {
    const answers = [
      await request(`${base}/`),
      await request(`${base}/api/healthz`),
      await request(`${base}/api/graphql`, { method: 'POST', body: 'x'.repeat(20_000) }),
    ];
    for (const { headers } of answers) {
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).not.toContain('default-src *');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('refuses a body above 16 kB with 413 and passes a smaller one', async () => {
    const big = await request(`${base}/api/graphql`, { method: 'POST', body: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    const small = await request(`${base}/api/graphql`, { method: 'POST', body: 'x'.repeat(8 * 1024) });
    expect(small.status).toBe(200);
    expect(seenByGateways().some((seen) => seen.bodyBytes === 8 * 1024)).toBe(true);
  });

  it('gzips HTML and JSON for clients that accept it', async () => {
    for (const path of ['/', '/api/graphql']) {
      const response = await request(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.headers.vary).toMatch(/Accept-Encoding/);
      expect(gunzipSync(response.body).toString()).toMatch(/F\(n\)|"url":"\/graphql"/);
    }
    expect((await request(`${base}/`)).headers['content-encoding']).toBeUndefined();
  });

  it('serves /playground from playground.html while the gateway allows it, and 404 when it does not', async () => {
    const page = await request(`${base}/playground`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>playground</title>');
    expect((await request(`${base}/playground.html`)).headers.location).toBe('/playground');

    for (const gateway of gateways) gateway.playgroundAccess = 403;
    const off = await request(`${base}/playground`);
    expect(off.status).toBe(404);
    expect(off.body.toString()).not.toContain('playground');
    expect(off.headers['content-security-policy']).toContain("default-src 'self'");
    for (const gateway of gateways) gateway.playgroundAccess = 204;
  });

  it('answers 429 to a flood on /api/graphql from one client, not to a burst of 40 nor to other clients', async () => {
    // 127.0.0.2 is loopback too but another client address: the requests above do not count.
    const started = Date.now();
    const burst = [];
    for (let i = 0; i < 40; i++)
      burst.push((await request(`${base}/api/graphql`, { localAddress: '127.0.0.2' })).status);
    expect(burst.filter((status) => status === 200).length).toBe(40);
    const flood = await Promise.all(
      Array.from({ length: 80 }, () => request(`${base}/api/graphql`, { localAddress: '127.0.0.2' })),
    );
    // The burst of 40 is spent; only what 20 a second refilled meanwhile may pass, however slow the machine.
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 20) + 1;
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(80 - refilled);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(flood.find((response) => response.status === 429)?.headers['x-content-type-options']).toBe('nosniff');

    expect((await request(`${base}/api/graphql`)).status).toBe(200);
    expect((await request(`${base}/api/healthz`, { localAddress: '127.0.0.6' })).status).toBe(200);
  });

  it('limits every spelling of the endpoint: /api/GraphQL is limited like /api/graphql', async () => {
    const flood = await Promise.all(
      Array.from({ length: 120 }, () =>
        request(`${base}/api/GraphQL`, { method: 'POST', body: '{}', localAddress: '127.0.0.3' }),
      ),
    );
    expect(flood.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(50);
  });

  it('holds at most 20 open connections to the endpoint per client address, answering 429 beyond', async () => {
    const open = (localAddress: string) =>
      new Promise<WebSocket | number>((resolve) => {
        const socket = new WebSocket(`${base.replace('http', 'ws')}/api/graphql`, 'graphql-transport-ws', {
          localAddress,
        });
        socket.once('open', () => resolve(socket));
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    const tries = [];
    for (let i = 0; i < 25; i++) tries.push(await open('127.0.0.4'));
    const sockets = tries.filter((t): t is WebSocket => typeof t !== 'number');
    expect(sockets.length).toBe(20);
    expect(tries.filter((t) => t === 429).length).toBe(5);
    // Another address is not held back.
    const other = await open('127.0.0.5');
    expect(typeof other).not.toBe('number');
    for (const socket of [...sockets, other]) if (typeof socket !== 'number') socket.terminate();
  });

  it('keeps connections to the gateways open and reuses them for plain requests', async () => {
    const before = gateways.reduce((sum, gateway) => sum + gateway.connections, 0);
    for (let i = 0; i < 20; i++) {
      expect((await request(`${base}/api/healthz?keepalive=${i}`, { localAddress: '127.0.0.9' })).status).toBe(200);
    }
    // Each nginx worker keeps connections of its own: a few in all, far fewer than requests.
    const opened = gateways.reduce((sum, gateway) => sum + gateway.connections, 0) - before;
    expect(opened).toBeLessThanOrEqual(10);
  });
});

describe("the local stack's nginx serving the web build itself (web/nginx.conf beside default.conf)", () => {
  let gateway: StandIn;
  let nginx: ManagedChild | undefined;
  let buildDir: string | undefined;
  let nginxDir: string | undefined;
  let base: string;

  beforeAll(async () => {
    const binary = findNginx();
    if (!binary) throw new Error('nginx is not installed; install it with: apt-get update && apt-get install -y nginx');
    gateway = await StandIn.gateway();
    // A build in a directory only its owner may enter, as a checkout under /root is: nginx's
    // workers (`nobody` when the master is root) must still be able to serve it.
    buildDir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-web-root-'));
    const html = path.join(buildDir, 'dist');
    mkdirSync(path.join(html, 'assets'), { recursive: true });
    writeFileSync(path.join(html, 'index.html'), `<!doctype html><title>app</title><p>${'F(n) '.repeat(400)}</p>`);
    writeFileSync(path.join(html, 'playground.html'), '<!doctype html><title>playground</title>');
    writeFileSync(path.join(html, 'assets', 'main-AbC123.js'), 'console.log(1);');
    const port = await getFreePort();
    const prepared = prepareNginx({
      apiServers: [`127.0.0.1:${gateway.port}`],
      webServer: `127.0.0.1:${await getFreePort()}`,
      listenPort: port,
      webRoot: html,
    });
    nginxDir = prepared.dir;
    nginx = spawnChild('nginx', binary, prepared.args);
    base = `http://127.0.0.1:${port}`;
    await waitUntil('nginx', async () => (await fetch(`${base}/nginx-health`)).ok, { abort: nginx.exitedEarly });
  });

  afterAll(async () => {
    await nginx?.stop('SIGTERM', 5_000);
    for (const made of [buildDir, nginxDir]) if (made) rmSync(made, { recursive: true, force: true });
    await gateway?.close();
  });

  it('serves index.html for / and for client-side routes, revalidated on every load, with the security headers', async () => {
    for (const page of ['/', '/history/42?page=2']) {
      const response = await request(`${base}${page}`);
      expect(response.status, page).toBe(200);
      expect(response.body.toString()).toContain('<title>app</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
    const gzipped = await request(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gzipped.body).toString()).toContain('<title>app</title>');
  });

  it('lets browsers keep hashed assets for a year, and answers a missing one 404, never index.html', async () => {
    const asset = await request(`${base}/assets/main-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gone = await request(`${base}/assets/main-Gone99.js`);
    expect(gone.status).toBe(404);
    expect(gone.body.toString()).not.toContain('<title>app</title>');
  });

  it('serves /playground from playground.html while the gateway allows it, 404 when it does not', async () => {
    const page = await request(`${base}/playground`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>playground</title>');
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    gateway.playgroundAccess = 403;
    expect((await request(`${base}/playground`)).status).toBe(404);
    gateway.playgroundAccess = 204;
  });

  it('still sends /api/... to the gateway', async () => {
    expect((await request(`${base}/api/healthz`)).status).toBe(200);
    expect(gateway.seen.at(-1)?.url).toBe('/healthz');
  });
});

describe('behind a load balancer (REAL_IP_FROM)', () => {
  let gateway: StandIn;
  let web: StandIn;
  let running: Awaited<ReturnType<typeof startNginx>>;

  beforeAll(async () => {
    gateway = await StandIn.gateway();
    web = await StandIn.web();
    // 127.0.0.7 plays the balancer: it reports each client in X-Forwarded-For.
    running = await startNginx([gateway], web, { REAL_IP_FROM: '127.0.0.7/32' });
  });
  afterAll(async () => {
    await running?.nginx.stop('SIGTERM', 5_000);
    if (running) rmSync(running.nginxDir, { recursive: true, force: true });
    await Promise.all([gateway, web].map((server) => server?.close()));
  });

  const viaBalancer = (client: string) =>
    request(`${running.base}/api/healthz`, { localAddress: '127.0.0.7', headers: { 'x-forwarded-for': client } });

  it('passes the client the balancer reports as the last X-Forwarded-For entry, which the gateway trusts', async () => {
    await viaBalancer('198.51.100.1, 203.0.113.9');
    expect(gateway.seen.at(-1)?.headers['x-forwarded-for']).toMatch(/, 203\.0\.113\.9$/);
    // A client that is not the balancer cannot name another address: its own is appended.
    await request(`${running.base}/api/healthz`, {
      localAddress: '127.0.0.8',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(gateway.seen.at(-1)?.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.8');
  });

  it('limits each client behind the balancer on its own, not the balancer as one client', async () => {
    const started = Date.now();
    const flood = await Promise.all(Array.from({ length: 80 }, () => viaBalancer('203.0.113.20')));
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 20) + 1;
    const refused = flood.filter((response) => response.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(80 - 40 - refilled);
    expect(refused).toBeGreaterThan(0);
    expect((await viaBalancer('203.0.113.21')).status).toBe(200);
  });

  it('refuses to start the stack with a REAL_IP_FROM that is not a list of addresses', () => {
    expect(() =>
      prepareNginx(
        { apiServers: ['127.0.0.1:5000'], webServer: '127.0.0.1:3000', listenPort: 8080 },
        { PATH: process.env.PATH, REAL_IP_FROM: '10.0.0.0/8;include /etc/passwd' },
      ),
    ).toThrow(/REAL_IP_FROM/);
  });
});
