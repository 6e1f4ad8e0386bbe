/** The gateway is reached through the same origin as the page (nginx routes /api), so no CORS and no other host. */
export const GRAPHQL_PATH = '/api/graphql';

export function graphqlEndpoints(location: Pick<Location, 'protocol' | 'host'> = window.location) {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl: GRAPHQL_PATH, wsUrl: `${wsProtocol}//${location.host}${GRAPHQL_PATH}` };
}
