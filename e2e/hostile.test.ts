import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { eachLimited, loopback, openSocket, settledStack, storedSoFar } from './clients.js';
import { send } from './env.js';

/**
 * Hostile clients through the real nginx and gateways, each from an address of its own. Every
 * generated request is wrong in some way; every one must get a 4xx or a GraphQL error (never a 5xx,
 * never a hang), nothing may be stored or queued, and the service stays ready.
 */

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: limits { maxIndex }`).join(' ')} }`;
const deep = (n: number) => `{ __type(name: "Query") { ${'fields { type { '.repeat(n)}name${' } }'.repeat(n)} } }`;

/** A value that is not an allowed index: out of range, fractional, not a number at all. */
const badIndex = fc.oneof(
  fc.integer({ max: -1 }),
  fc.integer({ min: 1_000_001 }),
  fc.double({ noInteger: true, noNaN: true }),
  fc.string(),
  fc.constant(null),
);

const hostileDocument: fc.Arbitrary<string> = fc.oneof(
  // Over 2,000 tokens (four a repetition); the longest also over nginx's 16 kB.
  fc.integer({ min: 510, max: 1_000 }).map((n) => `{ ${'limits { maxIndex } '.repeat(n)} }`),
  fc.integer({ min: 6, max: 60 }).map(aliases),
  fc.integer({ min: 5, max: 12 }).map(deep),
  fc.integer({ min: 11, max: 40 }).map((n) => `{ limits { maxIndex ${'@include(if: true) '.repeat(n)} } }`),
  fc.string({ maxLength: 200 }),
  badIndex.map((index) => `mutation { submitValue(index: ${JSON.stringify(index)}) { index } }`),
  fc.constantFrom(
    '{ values(limit: 0) { id } }',
    '{ values(limit: 101) { id } }',
    '{ values(before: "not-an-id") { id } }',
    '{ values(before: "99999999999999999999") { id } }',
    '{ calculations(before: -1) { index } }',
    '{ calculation(index: 2.5) { value } }',
    '{ nope }',
    '{ __schema { types { name } } } { values { id } }',
    'mutation { submitValue { index } }',
    'mutation { submitValue(index: 5, extra: 1) { index } }',
    'subscription { valueSubmitted(after: "x") { id } }',
    'query A { limits { maxIndex } } query A { limits { maxIndex } }',
  ),
);

const SUBMIT = 'mutation ($i: Int!) { submitValue(index: $i) { index status } }';

/** A request body: a hostile document, or a harmless-looking one with hostile variables, or no GraphQL at all. */
const hostileBody: fc.Arbitrary<string> = fc.oneof(
  hostileDocument.map((query) => JSON.stringify({ query })),
  badIndex.map((i) => JSON.stringify({ query: SUBMIT, variables: { i } })),
  fc.constant(JSON.stringify({ query: SUBMIT, variables: '{"i": 5}' })),
  fc.constant(JSON.stringify({ query: SUBMIT })),
  fc.constant(JSON.stringify([{ query: SUBMIT, variables: { i: 5 } }, { query: '{ limits { maxIndex } }' }])),
  fc.constantFrom('null', '42', '"query"', '{"query": 12}', '{"query": {}}', '{', '', 'query=%7Blimits%7D'),
  fc.string({ maxLength: 300 }),
  fc
    .integer({ min: 17, max: 40 })
    .map((kb) => JSON.stringify({ query: `{ limits { maxIndex } } #${'x'.repeat(kb * 1024)}` })),
);

const hostileRequest = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
  path: fc.constantFrom(
    '/api/graphql',
    '/api/GraphQL',
    '/api/graphql/',
    '/api//graphql',
    '/api/%67raphql',
    '/api/GRAPHQL',
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    undefined,
  ),
  body: hostileBody,
});

let nextAddress = 0;
const freshAddress = () => loopback(30, nextAddress++ % 60_000);

describe('hostile clients, through nginx', () => {
  it('answers thousands of hostile HTTP requests with a 4xx or a GraphQL error, storing nothing', async () => {
    await settledStack();
    const before = await storedSoFar();
    const outcomes: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRequest, { minLength: 50, maxLength: 50 }), async (batch) => {
        await eachLimited(batch, 25, async (request) => {
          const headers: Record<string, string> = request.contentType ? { 'content-type': request.contentType } : {};
          const get = request.method === 'GET';
          const path = get ? `${request.path}?query=${encodeURIComponent(request.body)}` : request.path;
          // GET carries a JSON content type, as Apollo's CSRF protection asks of a real query.
          if (get) headers['content-type'] = 'application/json';
          const answer = await send(path, {
            method: request.method,
            headers,
            body: get ? undefined : request.body,
            from: freshAddress(),
          });
          outcomes.push(String(answer.status));
          const graphqlError = answer.status === 200 && /"errors":\[\{/.test(answer.text);
          expect(
            (answer.status >= 400 && answer.status < 500) || graphqlError,
            `${request.method} ${path} ${request.contentType} ${request.body.slice(0, 200)} -> ${answer.status} ${answer.text.slice(0, 300)}`,
          ).toBe(true);
        });
      }),
      { numRuns: 40, endOnFailure: true },
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(2_000);
    expect((await send('/api/readyz', { method: 'GET' })).status).toBe(200);
    expect(await storedSoFar()).toEqual(before);
  });

  it('answers hostile graphql-ws messages with errors or a clean close (never 1011/4500, never a hang), storing nothing', async () => {
    await settledStack();
    const before = await storedSoFar();
    let ids = 0;
    // Mostly hostile operations (what reaches the gateway's handling), some broken protocol.
    const frame = fc.oneof(
      {
        weight: 6,
        arbitrary: hostileDocument.map((query) => ({ id: String(ids++), type: 'subscribe', payload: { query } })),
      },
      {
        weight: 3,
        arbitrary: badIndex.map((i) => ({
          id: String(ids++),
          type: 'subscribe',
          payload: { query: SUBMIT, variables: { i } },
        })),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<unknown>(
          { type: 'connection_init' },
          { type: 'ping' },
          'not json',
          '{"type": "nope"}',
          { type: 'subscribe', payload: { query: '{ limits { maxIndex } }' } },
          { type: 'complete', id: 'never-started' },
          `{"type":"subscribe","id":"big","payload":{"query":"{ limits { maxIndex } } #${'x'.repeat(70_000)}"}}`,
          { id: 'bad', type: 'subscribe', payload: { query: 123 } },
          { id: 'same', type: 'subscribe', payload: { query: '{ limits { maxIndex } }' } },
          { id: 'same', type: 'subscribe', payload: { query: '{ limits { maxIndex } }' } },
          // What only a server sends.
          { type: 'connection_ack' },
          { id: '1', type: 'next', payload: { data: {} } },
          { id: '1', type: 'error', payload: [{ message: 'x' }] },
          { type: 'pong' },
        ),
      },
    );
    // A client initialises first, nearly always; what it sends next is hostile.
    const session = fc
      .tuple(fc.nat(9), fc.array(frame, { minLength: 1, maxLength: 8 }))
      .map(([skipInit, frames]) => (skipInit === 0 ? frames : [{ type: 'connection_init' }, ...frames]));
    const closes: (number | 'refused')[] = [];
    let operationsAnswered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(session, { minLength: 25, maxLength: 25 }), async (sockets) => {
        await eachLimited(sockets, 25, async (frames) => {
          const outcome = await drive(openSocket(freshAddress()), frames);
          closes.push(outcome.refused ? 'refused' : (outcome.code ?? 0));
          operationsAnswered += outcome.answered;
          expect(
            [1011, 4500],
            JSON.stringify({ frames: frames.map((f) => String(JSON.stringify(f)).slice(0, 120)), outcome }),
          ).not.toContain(outcome.code);
          expect(outcome.hung, JSON.stringify(frames).slice(0, 500)).toBe(false);
        });
      }),
      { numRuns: 40, endOnFailure: true },
    );
    expect(closes.length).toBe(1_000);
    // The server had its say on most: nginx refused few upgrades (each client has its own address).
    expect(closes.filter((code) => code === 'refused').length).toBeLessThan(100);
    // And hostile operations did reach the gateway's handling of operations, by the hundred.
    expect(operationsAnswered).toBeGreaterThan(300);
    expect((await send('/api/readyz', { method: 'GET' })).status).toBe(200);
    expect(await storedSoFar()).toEqual(before);
  }, 120_000);
});

/**
 * Sends `frames` on `socket` in order, waiting after a connection_init for the server's answer as a
 * real client does (so that operations reach the server's handling, not just its "not
 * acknowledged yet" refusal), then for what they call for: every operation with an id gets an
 * answer (an error, or data and complete), unless the server closes the socket first.
 */
async function drive(
  socket: WebSocket,
  frames: unknown[],
): Promise<{ code?: number; hung: boolean; refused?: boolean; answered: number }> {
  const answered = new Set<string>();
  let acknowledged = false;
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('unexpected-response', () => resolve(false)); // 429 from nginx: a 4xx, fine
    socket.once('error', () => resolve(false));
  });
  if (!opened) return { hung: false, refused: true, answered: 0 };
  let code: number | undefined;
  const closed = new Promise<void>((resolve) => socket.once('close', (c) => ((code = c), resolve())));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: string; type: string };
    if (message.type === 'connection_ack') acknowledged = true;
    if (message.id && (message.type === 'error' || message.type === 'complete')) answered.add(message.id);
  });
  const deadline = Date.now() + 5_000;
  const until = async (done: () => boolean) => {
    while (!done() && code === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };
  const expected = new Set<string>();
  for (const frame of frames) {
    if (code !== undefined) break;
    socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    const { type, id } = (typeof frame === 'object' ? frame : {}) as { type?: string; id?: unknown };
    if (type === 'subscribe' && typeof id === 'string') expected.add(id);
    if (type === 'connection_init') await until(() => acknowledged);
  }
  // Without an acknowledged init there is nothing to wait for (the server closes such a socket itself).
  if (acknowledged) await until(() => [...expected].every((id) => answered.has(id)));
  const hung = code === undefined && acknowledged && ![...expected].every((id) => answered.has(id));
  socket.terminate();
  await closed;
  return { code: code === 1006 ? undefined : code, hung, answered: answered.size };
}
