import type { K8sObject } from './kustomize.js';
import { nginxUpstreams, readRepoFile } from './project.js';

/** Where a request goes: a service and the path it sees, or a redirect; with the access check asked first. */
export type Route =
  { service: string; path: string; auth?: { service: string; port: number; path: string } } | { redirect: string };

/** Paths whose routes must agree: each location of nginx/default.conf, and around its edges. */
export const SAMPLE_URIS = [
  '/',
  '/index.html',
  '/assets/index-abc123.js',
  '/some/client/route',
  '/api',
  '/api/',
  '/api/graphql',
  '/api/GraphQL',
  '/api/healthz',
  '/api/readyz',
  '/playground',
  '/playground.html',
  '/playgrounds',
];

interface Location {
  exact: boolean;
  path: string;
  body: string;
}

function locations(): Location[] {
  const conf = readRepoFile('nginx/default.conf');
  return [...conf.matchAll(/^\s*location\s+(=\s+)?(\S+)\s*\{([^}]*)\}/gm)].map((m) => ({
    exact: Boolean(m[1]),
    path: m[2]!,
    body: m[3]!,
  }));
}

function proxied(location: Location, uri: string): { service: string; path: string } {
  const [, upstream, uriPart] = /proxy_pass\s+http:\/\/([\w-]+)(\S*);/.exec(location.body)!;
  const path = !uriPart ? uri : location.exact ? uriPart : uriPart + uri.slice(location.path.length);
  return { service: upstream!, path };
}

/** How nginx/default.conf routes `uri`: exact locations, else the longest prefix (it has no regex ones). */
export function nginxRoute(uri: string): Route {
  const all = locations().filter((l) => !l.path.startsWith('@'));
  const location =
    all.find((l) => l.exact && l.path === uri) ??
    all.filter((l) => !l.exact && uri.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!location) throw new Error(`nginx/default.conf routes nothing for ${uri}`);
  const redirect = /return\s+30[17]\s+(\S+);/.exec(location.body);
  if (redirect) return { redirect: redirect[1]! };
  const route: Route = proxied(location, uri);
  const authPath = /auth_request\s+(\S+);/.exec(location.body)?.[1];
  if (authPath) {
    const auth = proxied(
      all.find((l) => l.exact && l.path === authPath)!,
      authPath,
    );
    const port = nginxUpstreams().find((u) => u.host === auth.service)!.port;
    route.auth = { ...auth, port };
  }
  return route;
}

/**
 * How ingress-nginx routes `uri` through `ingresses` (one host): Exact paths first, then the
 * longest matching path, as regular expressions anchored at the start when any Ingress of the
 * host sets use-regex (the controller then treats all its paths so), else as path prefixes.
 */
export function ingressRoute(ingresses: K8sObject[], uri: string): Route {
  const annotation = (ingress: K8sObject, key: string) =>
    ingress.metadata.annotations?.[`nginx.ingress.kubernetes.io/${key}`];
  const regex = ingresses.some((i) => annotation(i, 'use-regex') === 'true');
  type IngressPath = { path: string; pathType: string; backend: { service: { name: string } } };
  const paths = ingresses.flatMap((ingress) =>
    (ingress.spec.rules as { http: { paths: IngressPath[] } }[]).flatMap((rule) =>
      rule.http.paths.map((p) => ({ ingress, path: p.path, type: p.pathType, backend: p.backend })),
    ),
  );
  // With use-regex on any Ingress of the host, ingress-nginx matches every path of it as a regex.
  if (!regex) throw new Error('no Ingress sets use-regex: this model of ingress-nginx covers only that case');
  const prefixMatch = (path: string) => new RegExp(`^${path}`, 'i').exec(uri);
  const chosen =
    paths.find((p) => p.type === 'Exact' && p.path === uri) ??
    paths.filter((p) => p.type !== 'Exact' && prefixMatch(p.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!chosen) throw new Error(`the Ingresses route nothing for ${uri}`);
  const redirect = annotation(chosen.ingress, 'permanent-redirect');
  if (redirect) return { redirect };
  const rewrite = annotation(chosen.ingress, 'rewrite-target');
  const match = chosen.type === 'Exact' ? [uri] : prefixMatch(chosen.path)!;
  const path = rewrite ? rewrite.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '') : uri;
  const route: Route = { service: chosen.backend.service.name, path };
  const authUrl = annotation(chosen.ingress, 'auth-url');
  if (authUrl) {
    const url = new URL(authUrl);
    route.auth = { service: url.hostname.split('.')[0]!, port: Number(url.port), path: url.pathname };
  }
  return route;
}
