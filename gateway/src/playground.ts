import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * The playground page itself (GraphiQL, built with the web client) is static and cannot read env,
 * so the gateway's PLAYGROUND switch decides everything about it in one place:
 * - nginx asks `GET /playground/access` (auth_request) before serving `/playground`: 204 lets the
 *   page through, 403 makes nginx answer 404;
 * - a browser opening the endpoint itself (`GET /graphql`, HTML preferred, no query) is sent to the
 *   page, as people expect from a GraphQL URL;
 * - introspection (the operation policy's validation rules, operation-policy.ts) follows the same
 *   switch: without a schema the page has nothing to offer.
 */

/** Where the playground lives on the public origin (nginx routes it to the web client's playground.html). */
export const PLAYGROUND_PATH = '/playground';

/** Gateway routes for the playground switch; mount before the GraphQL middleware. */
export function playgroundRoutes(enabled: boolean): express.Router {
  const router = express.Router();
  router.get('/playground/access', (_req, res) => {
    res.status(enabled ? 204 : 403).end();
  });
  if (enabled) router.get('/graphql', redirectBrowsersToPlayground);
  return router;
}

/** The media types a GraphQL client asks for; a browser navigating here prefers HTML over all of them. */
const GRAPHQL_TYPES = ['application/graphql-response+json', 'application/json'];

function redirectBrowsersToPlayground(req: Request, res: Response, next: NextFunction): void {
  // A GET that carries an operation (or a persisted-query hash) is a query, whatever it accepts.
  const { query, extensions } = req.query;
  if (query !== undefined || extensions !== undefined) return next();
  if (req.accepts([...GRAPHQL_TYPES, 'text/html']) !== 'text/html') return next();
  // 302, not 301: the switch can be turned off later and browsers cache permanent redirects.
  res.redirect(302, PLAYGROUND_PATH);
}
