import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  subscribe,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { FEED_LENGTH } from '@fibgraph/core';
import type { OperationPolicy } from './operation-policy.js';
import { LISTEN, LiveEvents } from './pubsub.js';

export interface WebSocketOptions {
  /** Origins besides the page's own that may open a socket (ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Operations one socket may run at once (MAX_OPERATIONS_PER_SOCKET). */
  maxOperations: number;
}

/** Bytes a socket may have waiting for the kernel before a send is acknowledged only once written. */
const SEND_AHEAD_BYTES = 64 * 1024;
/** Largest message a client may send (HTTP bodies: 16 kB). Tokens limit a document's work, not its bytes. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Valid documents kept parsed, by their text (every page of the web client sends the same few). */
const DOCUMENTS_KEPT = 256;

/**
 * graphql-ws at /graphql on the gateway's HTTP server, under the operation policy (parsing,
 * validation, context, error format: the same as HTTP's), plus what only a socket needs: browsers
 * of other origins are refused at the upgrade (a page elsewhere must not drive its visitors'
 * sockets), messages are at most 64 kB, and a socket runs at most `maxOperations` at once.
 */
export function attachWebSocket(
  httpServer: Server,
  schema: GraphQLSchema,
  policy: OperationPolicy,
  options: WebSocketOptions,
) {
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== '/graphql') return refuse(socket, 404);
    if (!originAllowed(request, options.allowedOrigins)) return refuse(socket, 403);
    wsServer.handleUpgrade(request, socket, head, (ws) => {
      batchWrites(ws, socket);
      wsServer.emit('connection', ws, request);
    });
  });

  const rules = [...specifiedRules, ...policy.validationRules];
  /** graphql-js leaves some errors without a code that Apollo Server gives one; the same here. */
  const formatted = (errors: readonly GraphQLError[], fallback: string) =>
    errors.map((error) => {
      const json = error.toJSON();
      const code = json.extensions?.code ?? (error.path || error.originalError ? 'INTERNAL_SERVER_ERROR' : fallback);
      return policy.formatError({ ...json, extensions: { ...json.extensions, code } }, error);
    });

  // Operations admitted on each socket and not ended yet, by id. Counted here rather than read
  // from graphql-ws' own list, which forgets a query the client `complete`s while it still runs.
  const running = new WeakMap<object, Map<string, number>>();
  const admitted = (ctx: object) => {
    let ids = running.get(ctx);
    if (!ids) running.set(ctx, (ids = new Map()));
    return ids;
  };
  const ended = (ctx: object, id: string) => {
    const ids = admitted(ctx);
    const n = ids.get(id) ?? 0;
    if (n > 1) ids.set(id, n - 1);
    else ids.delete(id);
  };
  const count = (ctx: object) => [...admitted(ctx).values()].reduce((sum, n) => sum + n, 0);

  // One parse and validation per document text, and one tree shared by every socket that sends it:
  // 10,000 pages subscribing with the same text would otherwise hold 10,000 copies of its AST (each
  // with its chain of tokens) and validate it 10,000 times. Only valid documents are kept; the
  // least recently used goes first, so a client sending new texts cannot grow it.
  const documents = new Map<string, DocumentNode>();
  const validDocument = (query: string): DocumentNode | readonly GraphQLError[] => {
    const known = documents.get(query);
    if (known) {
      documents.delete(query);
      documents.set(query, known);
      return known;
    }
    let document;
    try {
      document = parse(query, policy.parseOptions);
    } catch (error) {
      return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
    documents.set(query, document);
    if (documents.size > DOCUMENTS_KEPT) documents.delete(documents.keys().next().value as string);
    return document;
  };

  // An error without a path or a cause is the request's own (a variable of the wrong type).
  const formatNext = (result: ExecutionResult): ExecutionResult | FormattedExecutionResult =>
    result.errors ? { ...result, errors: formatted(result.errors, 'BAD_USER_INPUT') } : result;
  /** The socket and id of each subscription admitted, by the arguments onSubscribe gave it. */
  const targets = new WeakMap<ExecutionArgs, Target>();

  const hooks: ServerOptions<Record<string, unknown>, Extra> = {
    schema,
    // Kept as graphql-ws' default, said here: a socket that never initialises is closed (4408).
    connectionInitWaitTimeout: 3_000,
    // Only a server sends these: graphql-ws would throw on them (4500); refused as bad messages (4400).
    jsonMessageReviver: (key, value: unknown) => {
      if (key === '' && isServerMessage(value)) throw new Error('not a message a client sends');
      return value;
    },
    onSubscribe: (ctx, id, payload) => {
      if (count(ctx) >= options.maxOperations) {
        return [
          new GraphQLError(
            `This socket already runs ${options.maxOperations} operations, the most it may run at once`,
            {
              extensions: { code: 'TOO_MANY_OPERATIONS', limit: options.maxOperations },
            },
          ),
        ];
      }
      const document = validDocument(payload.query);
      if (!('kind' in document)) return document;
      if (!getOperationAST(document, payload.operationName)) {
        // Nothing runs: graphql's own answer for an operation it cannot pick, with Apollo's code.
        const { errors: unresolved = [] } = execute({
          schema,
          document,
          operationName: payload.operationName,
        }) as ExecutionResult;
        return unresolved.map((error) => withCode(error, 'OPERATION_RESOLUTION_FAILURE'));
      }
      admitted(ctx).set(id, (admitted(ctx).get(id) ?? 0) + 1);
      const args: ExecutionArgs = {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: policy.contextFor(ctx.extra.request),
      };
      targets.set(args, { ws: ctx.extra.socket, id });
      return args;
    },
    subscribe: (args) => {
      const target = targets.get(args);
      return target ? subscribeDelivering(args, target, formatNext) : subscribe(args);
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatNext(result) : undefined),
    onError: (ctx, id, _payload, errors) => {
      ended(ctx, id);
      return formatted(errors, 'BAD_REQUEST');
    },
    onComplete: (ctx, id) => ended(ctx, id),
  };
  const server = useServer(hooks, wsServer);
  return {
    /** Sockets open now. */
    open: () => wsServer.clients.size,
    dispose: () => server.dispose(),
  };
}

/** Sockets corked during this turn of the event loop, uncorked (written) together at its end. */
const corked = new Set<Duplex>();
const uncorkAll = () => {
  for (const socket of corked) socket.uncork();
  corked.clear();
};

/**
 * Everything sent on `ws` during one turn of the event loop goes to the kernel in one write at
 * its end (cork until setImmediate): when a burst of events reaches 10,000 sockets, each write
 * costs a system call in the gateway and in nginx, and events that arrive together (Redis hands
 * over what queued while the gateway was busy in one read) then cost one write per socket, not
 * one per event. graphql-ws waits for each send's callback before it sends the socket's next
 * event, and ws calls it once the kernel has the bytes, i.e. a turn later; so a send is
 * acknowledged at once while little is waiting for this socket, and only once written beyond
 * SEND_AHEAD_BYTES (a client that does not read still holds back its own events, nobody else's).
 * A write that fails closes the socket, which ends its subscriptions.
 */
function batchWrites(ws: WebSocket, socket: Duplex): void {
  const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
  ws.send = ((data: unknown, ...rest: unknown[]) => {
    if (!corked.has(socket) && !socket.destroyed) {
      if (corked.size === 0) setImmediate(uncorkAll);
      socket.cork();
      corked.add(socket);
    }
    const done = rest.at(-1);
    if (typeof done !== 'function' || socket.writableLength >= SEND_AHEAD_BYTES) return send(data, ...rest);
    send(data, ...rest.slice(0, -1), () => undefined);
    queueMicrotask(() => (done as () => void)());
  }) as WebSocket['send'];
}

/** Where a subscription's events go: its socket and its id there. */
interface Target {
  ws: WebSocket;
  id: string;
}

/**
 * graphql's `subscribe` for a subscription of a socket, except that its events go straight to the
 * socket, and that the subscribers of one event with the same document (and the same values of
 * the variables its answer uses: answerKey) share one answer, executed and serialised once. An
 * event published through Redis is one object handed to every subscription (the pub/sub parses it
 * once: pubsub.ts); graphql-js and graphql-ws would otherwise resolve, format, serialise and hand
 * over through several promises the same answer once per subscriber (10,000 times for 10,000
 * pages). The answer is built with the first subscriber's context; what a subscription's fields
 * read from the context (the stores, the value budget, which counts per event) is the same for
 * every subscriber. graphql-ws still runs the operation: the iterator it gets ends when the events
 * do (it then sends `complete`) or fails with their error, and ending it (the client's `complete`,
 * the socket closing) ends the events.
 */
async function subscribeDelivering(
  args: ExecutionArgs,
  target: Target,
  format: (result: ExecutionResult) => ExecutionResult | FormattedExecutionResult,
) {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const key = answerKey(args);
  // Synchronous when the fields resolve synchronously (they do here): the first subscriber's answer
  // is then a string as well, and every subscriber's delivery of an event takes the quick way.
  const serialise = (event: unknown): Buffer | Promise<Buffer> => {
    try {
      const result = execute({ ...args, rootValue: event });
      const encode = (done: ExecutionResult) => Buffer.from(JSON.stringify(format(done)));
      return isPromise(result) ? result.then(encode) : encode(result);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const answer = (event: unknown): Buffer | Promise<Buffer> => {
    if (typeof event !== 'object' || event === null) return serialise(event);
    let byDocument = answers.get(event);
    if (!byDocument) answers.set(event, (byDocument = new WeakMap()));
    let byKey = byDocument.get(args.document);
    if (!byKey) byDocument.set(args.document, (byKey = new Map()));
    let bytes = byKey.get(key);
    if (bytes === undefined) {
      bytes = serialise(event);
      byKey.set(key, bytes);
      // Later subscribers of this event take the bytes themselves, without awaiting.
      if (isPromise(bytes)) void bytes.then((done) => byKey.set(key, done)).catch(() => undefined);
    }
    return bytes;
  };
  return deliver(source, answer, target);
}

/**
 * What tells apart the answers of one document to one event: its operation's name, and the values
 * of the variables the answer can depend on. Those are the ones the operation uses anywhere but in
 * its root field's arguments: the arguments choose the events (`after`: where a replay starts), and
 * a subscription field's resolve reads only the event (resolvers/Subscription.ts). Pages that
 * subscribe with one document from different cursors (every page, from the feed's cursor when it
 * loaded) then share one answer, executed and serialised once, rather than one each.
 */
function answerKey({ document, operationName, variableValues }: ExecutionArgs): string {
  const used = answerVariables(document, operationName);
  const values = variableValues ?? {};
  const kept =
    used === ALL
      ? values
      : Object.fromEntries(used.filter((name) => Object.hasOwn(values, name)).map((name) => [name, values[name]]));
  return `${operationName ?? ''}\0${JSON.stringify(kept)}`;
}

const ALL = Symbol('all variables');
/** answerKey's variables, by document and operation name (documents are shared: see validDocument). */
const variablesUsed = new WeakMap<DocumentNode, Map<string, string[] | typeof ALL>>();

function answerVariables(document: DocumentNode, operationName: string | null | undefined): string[] | typeof ALL {
  let byOperation = variablesUsed.get(document);
  if (!byOperation) variablesUsed.set(document, (byOperation = new Map()));
  let used = byOperation.get(operationName ?? '');
  if (used === undefined) {
    used = ALL;
    const operation = getOperationAST(document, operationName);
    // A root field inside a fragment: its arguments are not told apart here, so every variable counts.
    if (operation?.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD)) {
      const names = new Set<string>();
      const collect = (node: ASTNode) => visit(node, { Variable: (variable) => void names.add(variable.name.value) });
      for (const directive of operation.directives ?? []) collect(directive);
      for (const field of operation.selectionSet.selections as FieldNode[]) {
        for (const directive of field.directives ?? []) collect(directive);
        if (field.selectionSet) collect(field.selectionSet);
      }
      // Every fragment's, whether this operation spreads it or not: more is only less shared.
      for (const definition of document.definitions)
        if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
      used = [...names].sort();
    }
    byOperation.set(operationName ?? '', used);
  }
  return used;
}

/** Answers (serialised) built for an event, by document and answerKey; gone with the event. */
const answers = new WeakMap<object, WeakMap<DocumentNode, Map<string, Buffer | Promise<Buffer>>>>();

/** How long a socket may leave a write waiting (its reader takes nothing) before it is closed as stuck. */
const STUCK_MS = 10_000;
/**
 * Events that may wait for one socket at most, however fast it reads: a bound on memory, well
 * above what comes at once (a replay brings up to FEED_LENGTH, a sweep what piled up meanwhile).
 */
const MAX_BEHIND = 4 * FEED_LENGTH;

/**
 * Sends each event of `source`, as `answer` gives it, to `target` as a graphql-ws `next` message,
 * in order. What it returns is what graphql-ws iterates: it yields nothing, ends when `source`
 * does, fails with its error, and ending it ends `source` at once (even while `source` waits for
 * its next event, so a completed subscription leaves Redis without waiting for another event).
 * A socket that has SEND_AHEAD_BYTES waiting to be written is not given more until it is written;
 * one whose reader takes nothing for STUCK_MS while events wait for it (or that has MAX_BEHIND
 * waiting) is closed (1013, try again later): the page resubscribes from its last cursor and the
 * feed replays what it missed. The events of a LiveEvents come to a sink (`[LISTEN]`), and an
 * answer ready for a socket that keeps up is sent at once: no promise per event and subscriber.
 */
function deliver(
  source: AsyncIterable<unknown>,
  answer: (event: unknown) => Buffer | Promise<Buffer>,
  { ws, id }: Target,
): AsyncIterableIterator<ExecutionResult> & {
  return(): Promise<IteratorResult<ExecutionResult>>;
  throw(error: unknown): Promise<IteratorResult<ExecutionResult>>;
} {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  const message = (payload: Buffer) => Buffer.concat([prefix, payload, CLOSING_BRACE]);
  let stopped = false;
  /** Answers not sent yet, in order, while one is not ready or the socket is behind. */
  const behind: (Buffer | Promise<Buffer>)[] = [];
  let sending = false;
  let sent: Promise<void> = Promise.resolve();
  const sendBehind = async () => {
    sending = true;
    while (behind.length > 0 && !stopped && ws.readyState === ws.OPEN) {
      const bytes = behind[0]!;
      const next = message(Buffer.isBuffer(bytes) ? bytes : await bytes);
      behind.shift();
      if (stopped || ws.readyState !== ws.OPEN) break;
      if (ws.bufferedAmount < SEND_AHEAD_BYTES) ws.send(next, TEXT);
      else if (!(await written(next))) return tooSlow();
    }
    behind.length = 0;
    sending = false;
  };
  /** Sends `next`; false when it is still not written after STUCK_MS. */
  const written = (next: Buffer) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STUCK_MS);
      ws.send(next, TEXT, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  const tooSlow = () => {
    ws.close(1013, 'Too far behind: resubscribe from your last cursor');
    void end();
  };
  const send = (event: unknown) => {
    if (stopped) return;
    const bytes = answer(event);
    if (!sending && Buffer.isBuffer(bytes) && ws.bufferedAmount < SEND_AHEAD_BYTES) {
      if (ws.readyState === ws.OPEN) ws.send(message(bytes), TEXT);
      return;
    }
    if (behind.push(bytes) > MAX_BEHIND) tooSlow();
    else if (!sending)
      sent = sendBehind().catch((error: unknown) => {
        void end();
        ended.fail(error);
      });
  };

  const ended = settled();
  let stop: () => Promise<void>;
  if (source instanceof LiveEvents) {
    source[LISTEN]({
      event: send,
      end: (error) => (error === undefined ? void sent.then(ended.done) : ended.fail(error)),
    });
    stop = () => source.return().then(() => undefined);
  } else {
    const iterator = source[Symbol.asyncIterator]();
    void (async () => {
      for (let step = await iterator.next(); !step.done && !stopped; step = await iterator.next()) send(step.value);
    })().then(() => sent.then(ended.done), ended.fail);
    stop = async () => {
      try {
        await iterator.return?.();
      } catch {
        // Ending anyway.
      }
    };
  }
  const finished = ended.promise.then(() => DONE);
  // Failing before graphql-ws asks (it asks at once) must not be an unhandled rejection.
  finished.catch(() => undefined);
  const end = async () => {
    stopped = true;
    behind.length = 0;
    await stop();
  };
  return {
    next: () => finished,
    return: async () => {
      await end();
      return DONE;
    },
    throw: async (error: unknown) => {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const DONE = { value: undefined, done: true } as const;
/** Messages are built as bytes (an event's answer encoded once for all its subscribers) but sent as text frames. */
const TEXT = { binary: false };
const CLOSING_BRACE = Buffer.from('}');

/** A promise with its outcome set from outside, once. */
function settled() {
  let done!: () => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  return { promise, done, fail };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** What only a server sends (graphql-transport-ws): a client sending it breaks the protocol. */
function isServerMessage(value: unknown): boolean {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'connection_ack' || type === 'next' || type === 'error';
}

/** Apollo Server's codes for a document it cannot parse, validate or pick an operation of, whatever code a rule gave. */
function withCode(
  error: unknown,
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'OPERATION_RESOLUTION_FAILURE',
): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  return new GraphQLError(graphqlError.message, {
    nodes: graphqlError.nodes,
    source: graphqlError.source,
    positions: graphqlError.positions,
    extensions: { ...graphqlError.extensions, code },
  });
}

/**
 * A browser always says which page opened a socket (Origin); the page's own origin is the host it
 * asked for (X-Forwarded-Host from nginx, else Host). No Origin: not a browser, nothing to forge.
 */
function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  const forwardedHost = request.headers['x-forwarded-host'];
  const host =
    (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost)?.split(',')[0]?.trim() ?? request.headers.host;
  return url.host === host;
}

function refuse(socket: Duplex, status: 403 | 404): void {
  // Node took its own error listener off this socket before the upgrade event: a client that
  // resets now must not become an uncaught error. Closed once the answer is written.
  socket.on('error', () => socket.destroy());
  const reason = status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}
