import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from './graphql-client.js';
import { TestSystem } from './system.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What Chromium sends when a person types the URL into the address bar. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('the playground switch', () => {
  let system: TestSystem;
  const gateways: Record<'development' | 'production' | 'productionWithPlayground', string> = {
    development: '',
    production: '',
    productionWithPlayground: '',
  };
  beforeAll(async () => {
    system = await TestSystem.start({ gateways: 0, workers: 0 });
    const start = async (env: NodeJS.ProcessEnv) => `127.0.0.1:${(await system.addGateway(env)).port}`;
    gateways.development = await start({ NODE_ENV: 'development' });
    gateways.production = await start({ NODE_ENV: 'production' });
    gateways.productionWithPlayground = await start({ NODE_ENV: 'production', PLAYGROUND: 'true' });
  });
  afterAll(() => system?.stop());

  const openInBrowser = (host: string, search = '') =>
    fetch(`http://${host}/graphql${search}`, { redirect: 'manual', headers: { accept: BROWSER_ACCEPT } });
  const introspect = (host: string) => new GraphQLClient(host).request(INTROSPECTION);
  const access = async (host: string) => (await fetch(`http://${host}/playground/access`)).status;

  it('sends a browser opening /graphql to /playground in development', async () => {
    const response = await openInBrowser(gateways.development);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/playground');
    expect(await access(gateways.development)).toBe(204);
  });

  it('still answers GET queries: a query parameter is never redirected', async () => {
    const query = `?query=${encodeURIComponent('{ values { index } }')}`;
    expect((await openInBrowser(gateways.development, query)).status).not.toBe(302);
    const response = await fetch(`http://${gateways.development}/graphql${query}`, {
      // Apollo's CSRF prevention wants a header a plain cross-site form could not send.
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { values: [] } });
  });

  it('does not redirect clients that ask for JSON', async () => {
    const response = await fetch(`http://${gateways.development}/graphql`, {
      redirect: 'manual',
      headers: { accept: '*/*' },
    });
    expect(response.status).not.toBe(302);
  });

  it('answers introspection in development', async () => {
    expect(await introspect(gateways.development)).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('in production refuses introspection over HTTP and WebSocket, and neither redirects nor admits the page', async () => {
    const http = await introspect(gateways.production);
    expect(http.data).toBeUndefined();
    expect(http.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(http.errors?.[0]?.message).toMatch(/introspection/i);

    const client = new GraphQLClient(gateways.production);
    const log = await client.subscribe<{ error?: { message: string }[] }>(INTROSPECTION);
    const refused = await log.waitFor((event) => event.error !== undefined, 5_000);
    expect(refused.error?.[0]?.message).toMatch(/introspection has been disabled/);
    await client.close();

    expect((await openInBrowser(gateways.production)).status).not.toBe(302);
    expect(await access(gateways.production)).toBe(403);
  });

  it('with PLAYGROUND=true in production answers introspection, redirects browsers and admits the page', async () => {
    expect(await introspect(gateways.productionWithPlayground)).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    const response = await openInBrowser(gateways.productionWithPlayground);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/playground');
    expect(await access(gateways.productionWithPlayground)).toBe(204);
  });

  it('refuses to start with a PLAYGROUND value other than true or false', () => {
    const run = spawnSync(process.execPath, ['gateway/dist/index.js'], {
      cwd: root,
      env: { PATH: process.env.PATH, PLAYGROUND: 'yes', DATABASE_URL: system.databaseUrl, REDIS_URL: system.redis.url },
      encoding: 'utf8',
      // Should the value be accepted after all, the gateway would start and serve for ever.
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('- PLAYGROUND: must be true or false');
  });
});
