import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, withClient } from '@fibgraph/devstack';
import { rawRequest, RawSocket, type GraphQLAnswer } from './raw.js';
import { SUBMIT } from './operations.js';
import { printed, TestSystem, type ServiceProcess } from './system.js';

/**
 * A hostile or careless client, straight at a production-mode gateway: every rule that guards an
 * operation over HTTP guards it over the WebSocket too, with the same answer.
 */
let system: TestSystem;
let gateway: ServiceProcess;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 0, workers: 0 });
  gateway = await system.addGateway({ NODE_ENV: 'production', ALLOWED_ORIGINS: 'https://other.example' });
});
afterAll(() => system?.stop());

const httpUrl = () => `http://127.0.0.1:${gateway.port}/graphql`;
const wsUrl = () => `ws://127.0.0.1:${gateway.port}/graphql`;
const sockets: RawSocket[] = [];
afterAll(() => sockets.forEach((socket) => socket.close()));

function socket(headers: Record<string, string> = {}): RawSocket {
  const opened = new RawSocket(wsUrl(), { headers });
  sockets.push(opened);
  return opened;
}

/** The answer to `query` over HTTP (with its status) and over a WebSocket. */
async function overBoth(query: string): Promise<{ status: number; http: GraphQLAnswer; ws: GraphQLAnswer }> {
  const { status, body } = await rawRequest(httpUrl(), { body: { query } });
  const ws = socket();
  await ws.init();
  ws.subscribe('1', query);
  const answer = await ws.answer('1');
  ws.close();
  return { status, http: body as GraphQLAnswer, ws: answer };
}

const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}: limits { maxIndex }`).join(' ');

describe('one policy for HTTP and WebSocket', () => {
  const refused: [string, string, string, RegExp][] = [
    // name, query, code, message
    [
      'a document of more than 2,000 tokens',
      `{ ${'limits { maxIndex } '.repeat(600)} }`,
      'GRAPHQL_PARSE_FAILED',
      /2000 tokens/,
    ],
    ['more than 5 aliases', `{ ${fields(6)} }`, 'GRAPHQL_VALIDATION_FAILED', /aliases/i],
    [
      'more than 10 directives',
      `{ limits { maxIndex ${'@skip(if: false) '.repeat(11)} } }`,
      'GRAPHQL_VALIDATION_FAILED',
      /directives/i,
    ],
    [
      'a depth beyond 8',
      '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /depth/i,
    ],
    [
      'introspection, off in production',
      '{ __schema { types { name } } }',
      'GRAPHQL_VALIDATION_FAILED',
      /introspection/i,
    ],
  ];

  for (const [name, query, code, message] of refused) {
    it(`refuses ${name} with ${code}, over HTTP (400) and over the WebSocket alike`, async () => {
      const { status, http, ws } = await overBoth(query);
      expect(status).toBe(400);
      expect(http.data ?? null).toBeNull();
      expect(http.errors?.[0]?.extensions?.code).toBe(code);
      expect(http.errors?.[0]?.message).toMatch(message);
      expect(ws.data ?? null).toBeNull();
      expect(ws.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(
        http.errors?.map((e) => [e.extensions?.code, e.message]),
      );
    });
  }

  it('hides field suggestions in production on both transports', async () => {
    const { status, http, ws } = await overBoth('{ limit { maxIndex } }');
    expect(status).toBe(400);
    expect(http.errors?.[0]?.message).toMatch(/Cannot query field "limit"/);
    expect(JSON.stringify(http)).not.toMatch(/Did you mean/);
    expect(ws.errors).toEqual(http.errors);
  });

  it('masks an unexpected error from Redis on both transports, and logs it', async () => {
    // A result key of the wrong type makes Redis answer WRONGTYPE: a message no client should see.
    await system.inspect().set(`${system.prefix}result:7`, 'not a hash');
    const { http, ws } = await overBoth('{ calculation(index: 7) { status } }');
    for (const answer of [http, ws]) {
      expect(answer.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ['Internal server error', 'INTERNAL_SERVER_ERROR'],
      ]);
      expect(JSON.stringify(answer)).not.toMatch(/WRONGTYPE/);
    }
    await waitUntil('both errors logged', async () => printed(gateway.child, 'WRONGTYPE') >= 2);
  });

  it('answers a body that is not JSON with 400 and a GraphQL error, never a page or a stack', async () => {
    const { status, body } = await rawRequest(httpUrl(), { body: '{"query": "{ limits ' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });

  it('answers a body over 16 kB with 413, a body that is not an object with 400, both as GraphQL errors, and serves the next request', async () => {
    const refusals = [
      [413, await rawRequest(httpUrl(), { body: { query: `{ limits { maxIndex } } #${'x'.repeat(17_000)}` } })],
      [400, await rawRequest(httpUrl(), { body: '"{ limits { maxIndex } }"' })],
      [400, await rawRequest(httpUrl(), { body: '' })],
    ] as const;
    for (const [status, answer] of refusals) {
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
    const charset = await rawRequest(httpUrl(), {
      body: { query: '{ limits { maxIndex } }' },
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(charset).toMatchObject({ status: 200, body: { data: { limits: { maxIndex: expect.any(Number) } } } });
  });

  it('serves the endpoint under its exact name only: /GraphQL is not a way around the rules', async () => {
    for (const path of ['/GraphQL', '/GRAPHQL']) {
      const { status } = await rawRequest(`http://127.0.0.1:${gateway.port}${path}`, {
        body: { query: '{ limits { maxIndex } }' },
      });
      expect(status).toBe(404);
    }
  });
});

describe('the WebSocket', () => {
  it('refuses an upgrade from a page of another origin with 403', async () => {
    const ws = socket({ origin: 'http://evil.example' });
    await ws.closedWith();
    expect(ws.refusedWith).toBe(403);
  });

  it('accepts the page’s own origin, an origin of ALLOWED_ORIGINS, and clients that send none', async () => {
    const own = `http://127.0.0.1:${gateway.port}`;
    const variants: Record<string, string>[] = [
      { origin: own },
      { origin: 'http://app.example:8080', 'x-forwarded-host': 'app.example:8080' },
      { origin: 'https://other.example' },
      {},
    ];
    for (const headers of variants) {
      const ws = socket(headers);
      await ws.init();
      ws.subscribe('1', '{ limits { maxIndex } }');
      expect((await ws.answer('1')).data).toEqual({ limits: { maxIndex: 1_000_000 } });
      ws.close();
    }
  });

  it('closes a socket that sends a message over 64 kB (1009), unread', async () => {
    const ws = socket();
    await ws.init();
    ws.subscribe('1', `{ limits { maxIndex } } # ${'x'.repeat(70_000)}`);
    expect((await ws.closedWith()).code).toBe(1009);
  });

  it('runs at most 20 operations at once on one socket, and takes another once one ends', async () => {
    const ws = socket();
    await ws.init();
    for (let i = 1; i <= 20; i++) ws.subscribe(String(i), 'subscription { valueCalculated { index } }');
    ws.subscribe('21', 'subscription { valueCalculated { index } }');
    const refusal = await ws.answer('21');
    expect(refusal.errors?.[0]?.extensions?.code).toBe('TOO_MANY_OPERATIONS');
    expect(refusal.errors?.[0]?.message).toMatch(/20/);
    expect(ws.closed).toBeUndefined();

    // Once operation 1 has ended on the server (its end is not announced: a few tries), there is room.
    ws.send({ id: '1', type: 'complete' });
    let answer: GraphQLAnswer | undefined;
    for (let id = 22; id < 42 && !answer?.data; id++) {
      ws.subscribe(String(id), '{ limits { maxIndex } }');
      answer = await ws.answer(String(id));
      if (!answer.data) {
        expect(answer.errors?.[0]?.extensions?.code).toBe('TOO_MANY_OPERATIONS');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(answer?.data).toEqual({ limits: { maxIndex: 1_000_000 } });
  });

  it('closes a socket that never says connection_init (4408), as graphql-ws does', async () => {
    const ws = socket();
    await ws.opened();
    expect((await ws.closedWith(10_000)).code).toBe(4408);
  });
});

describe('submissions per client', () => {
  let limited: TestSystem;
  let ports: number[];
  beforeAll(async () => {
    limited = await TestSystem.start({ gateways: 0, workers: 0 });
    const env = { SUBMIT_RATE_PER_SECOND: '2', SUBMIT_BURST_PER_MINUTE: '10' };
    ports = [(await limited.addGateway(env)).port!, (await limited.addGateway(env)).port!];
  });
  afterAll(() => limited?.stop());

  const storedCount = () =>
    withClient(limited.databaseUrl, async (db) =>
      Number((await db.query('SELECT count(*) FROM submissions')).rows[0].count),
    );

  /** Submits `count` indexes at once as client `address` (the proxy in front says so); the answers. */
  async function burstOverHttp(address: string, count: number, port = ports[0]!) {
    return Promise.all(
      Array.from({ length: count }, (_, i) =>
        rawRequest(`http://127.0.0.1:${port}/graphql`, {
          body: { query: SUBMIT, variables: { index: 300 + i } },
          headers: { 'x-forwarded-for': address },
        }).then(({ body }) => body as GraphQLAnswer),
      ),
    );
  }

  const accepted = (answers: GraphQLAnswer[]) => answers.filter((a) => !a.errors).length;
  /** The most a client may get through in `ms`: the burst of 10, and 2 in each second window touched. */
  const mostIn = (ms: number) => 10 + 2 * (Math.ceil(ms / 1000) + 1);
  const timed = async <T>(work: () => Promise<T>) => {
    const started = Date.now();
    const result = await work();
    return { result, ms: Date.now() - started };
  };
  const limitedOnes = (answers: GraphQLAnswer[]) =>
    answers.filter((a) => a.errors?.[0]?.extensions?.code === 'RATE_LIMITED');

  it('refuses a burst past the limit with RATE_LIMITED and retryAfter, storing nothing for it', async () => {
    const before = await storedCount();
    const { result: answers, ms } = await timed(() => burstOverHttp('10.1.0.1', 30));
    // 2 a second plus a burst of 10 a minute: 12, or 14 should the burst straddle a second.
    expect(accepted(answers)).toBeGreaterThanOrEqual(12);
    expect(accepted(answers)).toBeLessThanOrEqual(mostIn(ms));
    const refusals = limitedOnes(answers);
    expect(refusals.length).toBe(30 - accepted(answers));
    for (const refusal of refusals) {
      expect(refusal.data ?? null).toBeNull();
      expect(refusal.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
      expect(refusal.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect((await storedCount()) - before).toBe(accepted(answers));
  });

  it('holds the same limit over the WebSocket: one socket cannot send more', async () => {
    const ws = new RawSocket(`ws://127.0.0.1:${ports[0]}/graphql`, { headers: { 'x-forwarded-for': '10.1.0.2' } });
    sockets.push(ws);
    await ws.init();
    // 20: the most one socket runs at once.
    const { result: answers, ms } = await timed(() => {
      for (let i = 0; i < 20; i++) ws.subscribe(String(i), SUBMIT, { index: 400 + i });
      return Promise.all(Array.from({ length: 20 }, (_, i) => ws.answer(String(i))));
    });
    expect(accepted(answers)).toBeGreaterThanOrEqual(12);
    expect(accepted(answers)).toBeLessThanOrEqual(mostIn(ms));
    expect(limitedOnes(answers).length).toBe(20 - accepted(answers));
  });

  it('counts a client across gateways, by the address its proxy reports, not one it made up', async () => {
    const { result: answers, ms } = await timed(async () => [
      ...(await burstOverHttp('10.1.0.3', 10, ports[0])),
      ...(await burstOverHttp('10.1.0.3', 10, ports[1])),
      // A client cannot pass for another by prepending addresses: its proxy appends the real one.
      ...(await burstOverHttp('192.0.2.7, 10.1.0.3', 10, ports[1])),
    ]);
    expect(accepted(answers)).toBeLessThanOrEqual(mostIn(ms));
    expect(accepted(answers)).toBeLessThan(30);
    expect(limitedOnes(answers).length).toBe(30 - accepted(answers));
    // Another client is not held back by this one.
    expect(accepted(await burstOverHttp('10.1.0.4', 5))).toBe(5);
  });
});
