/**
 * `npm run smoke [-- http://localhost:8080]`: checks a running stack the way a client sees it,
 * through the routing server: health, readiness, a subscription, exact values, a refused index.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = new URL(process.argv[2] ?? 'http://localhost:8080');
const http = new URL('/api/graphql', base).toString();
const ws = http.replace(/^http/, 'ws');

async function gql<T>(
  query: string,
  variables?: object,
): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(http, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json() as never;
}

function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) process.exitCode = 1;
}

const health = await fetch(new URL('/api/healthz', base));
check(health.status === 200, `GET /api/healthz -> ${health.status}`);
const ready = await fetch(new URL('/api/readyz', base));
check(ready.status === 200, `GET /api/readyz -> ${ready.status} ${await ready.text()}`);

const client = createClient({ url: ws, webSocketImpl: WebSocket });
const events = new Map<number, { value: string | null; digits: number | null; computeMs: number | null }>();
const subscribed = new Promise<void>((resolve) => client.on('connected', () => setTimeout(resolve, 300)));
client.subscribe<{
  valueCalculated: { index: number; value: string | null; digits: number | null; computeMs: number | null };
}>(
  { query: 'subscription { valueCalculated { index value digits computeMs } }' },
  {
    next: ({ data }) => data && events.set(data.valueCalculated.index, data.valueCalculated),
    error: console.error,
    complete: () => {},
  },
);
await subscribed;

async function submitAndWait(index: number, timeoutMs = 60_000) {
  const started = Date.now();
  const { data, errors } = await gql<{ submitValue: { status: string; value: string | null } }>(
    'mutation ($index: Int!) { submitValue(index: $index) { status value } }',
    { index },
  );
  if (errors) throw new Error(JSON.stringify(errors));
  if (data?.submitValue.status === 'DONE')
    return { value: data.submitValue.value, ms: Date.now() - started, cached: true };
  while (!events.has(index)) {
    if (Date.now() - started > timeoutMs) throw new Error(`no valueCalculated for ${index}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    value: events.get(index)!.value,
    ms: Date.now() - started,
    cached: false,
    computeMs: events.get(index)!.computeMs,
  };
}

const f90 = await submitAndWait(90);
check(
  f90.value === '2880067194370816120',
  `submitValue(90) -> ${f90.value} (${f90.cached ? 'cached' : 'via subscription'}, ${f90.ms} ms)`,
);

const refused = await gql('mutation { submitValue(index: -1) { status } }');
check(
  refused.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT',
  `submitValue(-1) -> ${refused.errors?.[0]?.extensions?.code}: ${refused.errors?.[0]?.message}`,
);

const big = await submitAndWait(1_000_000);
check(
  big.value?.length === 208_988,
  `submitValue(1000000) -> ${big.value?.length} digits, ${big.value?.slice(0, 12)}…${big.value?.slice(-12)} (${big.cached ? 'cached' : `computed in ${big.computeMs} ms`}, ${big.ms} ms end to end)`,
);

const values = await gql<{ values: { index: number; submittedAt: string }[] }>(
  '{ values(limit: 3) { index submittedAt } }',
);
const list = values.data?.values ?? [];
check(
  list[0]?.index === 1_000_000 && list[1]?.index === 90,
  `values newest first -> ${list.map((v) => v.index).join(', ')}`,
);

await client.dispose();
