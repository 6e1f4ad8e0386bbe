// JSON-RPC 2.0 over stdio, one JSON object a line, as the CLI speaks it to the native engine.
// Requests are answered strictly in order (the CLI awaits each one anyway), while replies to our
// own `print` requests are routed at once: the request that sent them is waiting for them.
import { createInterface } from 'node:readline';
import { rpcError } from './errors.js';
import { findMethod, type MethodContext } from './methods.js';

interface Message {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

function send(message: object): void {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
}

export interface RpcSession {
  /** Resolves when stdin has closed and every request received has been answered. */
  done: Promise<void>;
}

export interface RpcOptions extends Omit<MethodContext, 'print' | 'engine'> {
  /** Requests fail with the engine's start-up error if it could not start. */
  engine: Promise<MethodContext['engine']>;
}

export function serveRpc(options: RpcOptions): RpcSession {
  const waitingForCli = new Map<string, () => void>();
  let nextOwnId = 0;
  const print = (content: string) =>
    new Promise<void>((resolve) => {
      const id = `print-${nextOwnId++}`;
      waitingForCli.set(id, resolve);
      send({ id, method: 'print', params: { content } });
    });

  let queue = Promise.resolve();
  const handle = async (request: Message) => {
    const { id = null, method = '' } = request;
    const handler = findMethod(method);
    if (!handler) {
      send({
        id,
        error: {
          code: -32601,
          message: `Method not found: ${method}`,
          data: { is_panic: false, message: `The offline schema engine does not implement \`${method}\`.` },
        },
      });
      return;
    }
    try {
      const ctx: MethodContext = { ...options, engine: await options.engine, print };
      send({ id, result: await handler(ctx, request.params ?? {}) });
    } catch (error) {
      send({ id, error: rpcError(error) });
    }
  };

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      waitingForCli.get(String(message.id))?.();
      waitingForCli.delete(String(message.id));
      return;
    }
    queue = queue.then(() => handle(message));
  });
  const done = new Promise<void>((resolve) => lines.once('close', () => resolve(queue)));
  return { done };
}
