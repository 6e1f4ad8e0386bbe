/**
 * One share of the fan-out bench's crowd (scripts/bench/fanout.ts forks a few of these, so that
 * the load client is not the bottleneck): graphql-ws subscribers to valueCalculated, each from a
 * loopback address of its own, recording when each event of the burst reached each of them
 * (Date.now(), the parent's clock too). Driven by messages from the parent; closes every socket on
 * `close` or when the parent goes away.
 */
import WebSocket from 'ws';

/** parent -> crowd */
export type CrowdCommand =
  | {
      type: 'open';
      url: string;
      /** Numbers of the crowd's addresses (crowdAddress), one subscriber each. */
      first: number;
      count: number;
      /** Sockets being opened at once. */
      concurrency: number;
      /** The subscription every socket runs. */
      query: string;
      variables: Record<string, unknown>;
      /** The burst's indexes: the slots of each subscriber's arrival times. */
      indexes: number[];
      /** Date.now() after which nothing more is waited for. */
      deadline: number;
    }
  /** Tell the parent `complete` once every open subscriber has every one of `indexes`. */
  | { type: 'expect'; indexes: number[] }
  | { type: 'report' }
  | { type: 'close' };

/** crowd -> parent */
export type CrowdReport =
  | {
      type: 'opened';
      open: number;
      /** By reason: `http 429`, `timeout`, `closed 4408`, an error code. */
      refused: Record<string, number>;
    }
  | { type: 'complete' }
  | {
      type: 'arrivals';
      /** Per subscriber that was open, one arrival time per burst index (in `open`'s order); null if none came. */
      arrivals: (number | null)[][];
      /** Subscribers whose socket closed after it was open. */
      dropped: number;
      /** `next` messages carrying errors. */
      errors: number;
    };

/** The n-th address of 127.60.0.0/14 (up to 65,024 of them), the crowd's own block. */
export const crowdAddress = (n: number) =>
  `127.${60 + Math.floor(n / 65_024)}.${Math.floor((n % 65_024) / 254)}.${(n % 254) + 1}`;

interface Subscriber {
  socket: WebSocket;
  arrivals: Float64Array;
  subscribed: boolean;
  closed: boolean;
}

const send = (report: CrowdReport) => process.send?.(report);
const subscribers: Subscriber[] = [];
let slotOf = new Map<number, number>();
let errors = 0;

const INDEX = /"index":(\d+)/;

/** Arrivals still awaited of the expected indexes, over every open subscriber (once `expect` came). */
let missing = Number.POSITIVE_INFINITY;
let expectedSlot = new Uint8Array(0);

function checkComplete() {
  if (missing === 0) {
    missing = -1;
    send({ type: 'complete' });
  }
}

function openOne(command: Extract<CrowdCommand, { type: 'open' }>, n: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new WebSocket(command.url, 'graphql-transport-ws', {
      localAddress: crowdAddress(n),
      perMessageDeflate: false,
    });
    const subscriber: Subscriber = {
      socket,
      arrivals: new Float64Array(command.indexes.length),
      subscribed: false,
      closed: false,
    };
    let settled = false;
    const settle = (refusal: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (refusal === undefined) subscribers.push(subscriber);
      else socket.terminate();
      resolve(refusal);
    };
    const timer = setTimeout(() => settle('timeout'), Math.max(0, Math.min(30_000, command.deadline - Date.now())));
    socket.on('unexpected-response', (_request, response) => settle(`http ${response.statusCode}`));
    socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"id":"s","type":"next"')) {
        const index = Number(INDEX.exec(text)?.[1]);
        const slot = slotOf.get(index);
        if (slot !== undefined && subscriber.arrivals[slot] === 0) {
          subscriber.arrivals[slot] = Date.now();
          if (expectedSlot[slot] === 1 && !subscriber.closed) {
            missing -= 1;
            checkComplete();
          }
        }
        if (text.includes('"errors"')) errors += 1;
      } else if (text.includes('"connection_ack"')) {
        socket.send(
          JSON.stringify({
            id: 's',
            type: 'subscribe',
            payload: { query: command.query, variables: command.variables },
          }),
        );
        // The gateway answers a subscription only with events: it is in place once the socket is
        // acknowledged and the subscribe message sent (the parent waits a moment before the burst).
        subscriber.subscribed = true;
        settle(undefined);
      } else if (text.includes('"type":"ping"')) {
        socket.send('{"type":"pong"}');
      } else if (text.includes('"type":"error"')) {
        settle('subscription error');
      }
    });
    socket.on('close', (code) => {
      if (subscriber.subscribed && !subscriber.closed && missing > 0) {
        // Whatever it still awaited will not come: the parent counts it as missed.
        missing -= subscriber.arrivals.filter((at, slot) => at === 0 && expectedSlot[slot] === 1).length;
        checkComplete();
      }
      subscriber.closed = true;
      settle(`closed ${code}`);
    });
  });
}

async function open(command: Extract<CrowdCommand, { type: 'open' }>) {
  slotOf = new Map(command.indexes.map((index, slot) => [index, slot]));
  const refused: Record<string, number> = {};
  let next = 0;
  const lane = async () => {
    while (next < command.count && Date.now() < command.deadline) {
      const n = command.first + next;
      next += 1;
      const refusal = await openOne(command, n);
      if (refusal !== undefined) refused[refusal] = (refused[refusal] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  const notTried = command.count - next;
  if (notTried > 0) refused['not tried (deadline)'] = notTried;
  send({ type: 'opened', open: subscribers.length, refused });
}

function close() {
  for (const { socket } of subscribers) socket.terminate();
  process.disconnect?.();
  process.exit(0);
}

process.on('message', (command: CrowdCommand) => {
  if (command.type === 'open') void open(command);
  else if (command.type === 'expect') {
    expectedSlot = new Uint8Array(slotOf.size);
    for (const index of command.indexes) expectedSlot[slotOf.get(index) ?? 0] = 1;
    missing = 0;
    for (const s of subscribers) {
      if (!s.closed) missing += s.arrivals.filter((at, slot) => at === 0 && expectedSlot[slot] === 1).length;
    }
    checkComplete();
  } else if (command.type === 'report') {
    send({
      type: 'arrivals',
      arrivals: subscribers.map((s) => Array.from(s.arrivals, (at) => (at > 0 ? at : null))),
      dropped: subscribers.filter((s) => s.closed).length,
      errors,
    });
  } else close();
});
process.on('disconnect', close);
