import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GatewayContext } from './context.js';

/** The body of a GraphQL POST as the web client and most clients send it: JSON in UTF-8, not compressed. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * POST /graphql with a plain JSON body, straight to Apollo Server: the one request every
 * submission is, without Express' router and body-parser (a fifth of the gateway's CPU per
 * submission). Answers as the Express route would, the refusals of a body included (see
 * `badRequest` in server.ts); returns false, touching nothing, for any other request, which
 * Express then serves.
 */
export function graphqlPostHandler(
  apollo: ApolloServer<GatewayContext>,
  contextFor: (req: IncomingMessage) => GatewayContext,
  maxBodyBytes: number,
  refuse: (res: ServerResponse, status: number, type: string) => void,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return false;
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    if (!type || !PLAIN_JSON.test(type) || (encoding && encoding.toLowerCase() !== 'identity')) return false;
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      refuse(res, 413, 'entity.too.large');
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        refuse(res, 413, 'entity.too.large');
        return;
      }
      chunks.push(chunk);
    });
    // A client that went away mid-body: there is no one to answer.
    req.on('error', () => (refused = true));
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      let body: unknown;
      try {
        // As body-parser's strict mode: an object or an array, nothing else.
        if (!/^[\s]*[[{]/.test(text)) throw new SyntaxError('not an object or array');
        body = JSON.parse(text);
      } catch {
        refuse(res, 400, 'entity.parse.failed');
        return;
      }
      execute(apollo, contextFor, req, res, body).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : undefined);
      });
    });
    return true;
  };
}

async function execute(
  apollo: ApolloServer<GatewayContext>,
  contextFor: (req: IncomingMessage) => GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body },
    context: async () => contextFor(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
