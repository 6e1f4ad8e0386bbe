import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@fibgraph/devstack';

export { REPO_ROOT };

export const readRepoFile = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

export interface Image {
  /** The registry repository it is pushed to. */
  repository: string;
  dockerfile: string;
  /** The stage built, or undefined for the last one. */
  target?: string;
  context: string;
  /** What runs in the container: Node (with production node_modules) or nginx (files only). */
  runtime: 'node' | 'nginx';
  /** `serves` runs until stopped and has a healthcheck; `one-shot` runs once and exits. */
  lifetime: 'serves' | 'one-shot';
}

/**
 * The images this repository builds, keyed by compose service and EB container name.
 * compose.yaml, .travis.yml and Dockerrun.aws.json must all agree with this list; the tests
 * compare each of them with it, and check each Dockerfile against its `runtime` and `lifetime`.
 */
export const IMAGES = {
  api: {
    repository: 'fibgraph-api',
    dockerfile: 'gateway/Dockerfile',
    target: 'runtime',
    context: '.',
    runtime: 'node',
    lifetime: 'serves',
  },
  migrate: {
    repository: 'fibgraph-migrate',
    dockerfile: 'gateway/Dockerfile',
    target: 'migrate',
    context: '.',
    runtime: 'node',
    lifetime: 'one-shot',
  },
  worker: {
    repository: 'fibgraph-worker',
    dockerfile: 'worker/Dockerfile',
    target: 'runtime',
    context: '.',
    runtime: 'node',
    lifetime: 'serves',
  },
  web: {
    repository: 'fibgraph-web',
    dockerfile: 'web/Dockerfile',
    target: 'runtime',
    context: '.',
    runtime: 'nginx',
    lifetime: 'serves',
  },
  nginx: {
    repository: 'fibgraph-nginx',
    dockerfile: 'nginx/Dockerfile',
    target: undefined,
    context: 'nginx',
    runtime: 'nginx',
    lifetime: 'serves',
  },
} as const satisfies Record<string, Image>;

export type ImageName = keyof typeof IMAGES;

/** Services that run once and exit instead of serving: no healthcheck, no restart. */
export const ONE_SHOT: ReadonlySet<string> = new Set(
  Object.entries(IMAGES)
    .filter(([, image]) => image.lifetime === 'one-shot')
    .map(([name]) => name),
);

/** `server host:port;` lines of nginx/default.conf's upstreams: what the routing server reaches, by name. */
export function nginxUpstreams(): { host: string; port: number }[] {
  const conf = readRepoFile('nginx/default.conf');
  const servers: { host: string; port: number }[] = [];
  for (const block of conf.matchAll(/^\s*upstream\s+\S+\s*\{([^}]*)\}/gm)) {
    for (const server of block[1]!.matchAll(/^\s*server\s+([A-Za-z0-9.-]+):(\d+)\b[^;]*;/gm)) {
      servers.push({ host: server[1]!, port: Number(server[2]) });
    }
  }
  return servers;
}

/** The port a server block of an nginx config listens on (`listen 3000;`). */
export function nginxListenPort(file: string): number {
  const match = /^\s*listen\s+(\d+)\s*;/m.exec(readRepoFile(file));
  if (!match) throw new Error(`${file} has no \`listen <port>;\` line`);
  return Number(match[1]);
}

/** README's own test command: the line of its first shell block whose comment talks about tests. */
export function readmeTestCommand(): string {
  const block = /```sh\n([\s\S]*?)```/.exec(readRepoFile('README.md'))?.[1] ?? '';
  const line = block.split('\n').find((l) => /#.*\btests?\b/.test(l));
  if (!line) throw new Error('README.md: no line in the first ```sh block says how to run the tests');
  return line.split('#')[0]!.trim();
}

/**
 * The entry files the local stack runs (constants in packages/devstack/src/stack-services.ts), which the
 * images must run too: that is what makes the test suite exercise the images' commands.
 */
export function localStackEntries(): { api: string; worker: string } {
  const source = readRepoFile('packages/devstack/src/stack-services.ts');
  const entry = (name: string) => {
    const match = new RegExp(`const ${name} = '([^']+)'`).exec(source);
    if (!match) throw new Error(`packages/devstack/src/stack-services.ts no longer defines ${name}`);
    return match[1]!;
  };
  return { api: entry('GATEWAY_ENTRY'), worker: entry('WORKER_ENTRY') };
}

/** `engines.node` of the root package.json, as its lowest major.minor (`>=20.19` -> [20, 19]). */
export function enginesNodeMinimum(): [number, number] {
  const engines = (JSON.parse(readRepoFile('package.json')) as { engines?: { node?: string } }).engines?.node ?? '';
  const match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines);
  if (!match) throw new Error(`package.json engines.node is not of the form >=X.Y: "${engines}"`);
  return [Number(match[1]), Number(match[2] ?? 0)];
}
