/**
 * web/nginx.conf, the web image's server, run in a real nginx with only its `listen` and `root`
 * lines changed, as the local stack's nginx runs it (renderWebConf): what a browser gets for
 * pages, client-side routes and assets.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aptInstall,
  findNginx,
  getFreePort,
  renderWebConf,
  spawnChild,
  waitUntil,
  writeMainConf,
  type ManagedChild,
} from '@fibgraph/devstack';

const source = readFileSync(path.join(import.meta.dirname, 'nginx.conf'), 'utf8');

describe('web/nginx.conf', () => {
  let dir: string;
  let nginx: ManagedChild;
  let base: string;

  beforeAll(async () => {
    if (!findNginx()) aptInstall('nginx', 'nginx is not installed (the web image serves its files with it)');
    dir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-web-nginx-'));
    // Worker processes run as `nobody` when the master is root: everything must be readable.
    chmodSync(dir, 0o755);
    const html = path.join(dir, 'html');
    mkdirSync(path.join(html, 'assets'), { recursive: true });
    writeFileSync(path.join(html, 'index.html'), '<!doctype html><title>index</title>');
    writeFileSync(path.join(html, 'playground.html'), '<!doctype html><title>playground</title>');
    writeFileSync(path.join(html, 'assets', 'main-AbC123.js'), 'console.log(1);');
    const port = await getFreePort();
    writeFileSync(path.join(dir, 'web.conf'), renderWebConf(source, html, `127.0.0.1:${port}`));
    // The routing image's main config, with pid and temp files in `dir`, and the types the web image maps.
    const args = writeMainConf(dir, path.join(dir, 'web.conf'), 'types { text/html html; text/javascript js; }');
    nginx = spawnChild('nginx', findNginx()!, args);
    base = `http://127.0.0.1:${port}`;
    // A file that exists, so a broken fallback fails its own test below rather than this wait.
    await waitUntil('nginx with web/nginx.conf', async () => (await fetch(`${base}/index.html`)).ok, {
      abort: nginx.exitedEarly,
    });
  });

  afterAll(async () => {
    await nginx?.stop('SIGTERM', 5_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is rendered for the local stack with only its listen and root lines changed', () => {
    const rendered = renderWebConf(source, '/srv/my web/dist', '127.0.0.1:3001');
    const changed = (text: string, other: string) =>
      text
        .split('\n')
        .filter((line) => !other.split('\n').includes(line))
        .map((line) => line.trim());
    expect(changed(source, rendered)).toEqual(['listen 3000;', 'root /usr/share/nginx/html;']);
    expect(changed(rendered, source)).toEqual(['listen 127.0.0.1:3001;', 'root "/srv/my web/dist";']);
  });

  it('serves index.html at / and revalidates it on every load', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>index</title>');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('server')).toBe('nginx');
  });

  it('answers a client-side route with index.html (SPA fallback)', async () => {
    const res = await fetch(`${base}/history/42?page=2`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>index</title>');
  });

  it('serves the other pages of the build as themselves', async () => {
    const res = await fetch(`${base}/playground.html`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>playground</title>');
  });

  it('lets browsers keep hashed assets for a year', async () => {
    const res = await fetch(`${base}/assets/main-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a missing asset with 404, never with index.html', async () => {
    const res = await fetch(`${base}/assets/main-Gone99.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<title>index</title>');
  });
});
