import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from './apt.js';
import { REPO_ROOT } from './repo.js';

export const findNginx = () => findExecutable('nginx', ['/usr/sbin', '/usr/local/sbin']);

export interface LocalRouting {
  /** host:port of every gateway; nginx balances between them round-robin. */
  apiServers: string[];
  /** host:port of the web client's server (`upstream web`). */
  webServer: string;
  /** Public port. */
  listenPort: number;
  /**
   * When set, the same nginx also runs the web image's server (web/nginx.conf) on `webServer`,
   * serving this directory (the built client, web/dist): no separate web process is needed, and
   * default.conf still reaches the client through its `upstream web`, exactly as in production.
   */
  webRoot?: string;
}

/**
 * The container config with only its addresses changed, so the local stack exercises the very
 * routing rules production uses: every `server` line of `upstream api` and `upstream web` is
 * replaced by the local ones, and `listen 80;` by the local port. Throws if the file no longer has
 * what it rewrites. The local servers are addresses, not names, so they carry no `resolve` (which
 * Debian's nginx 1.22 would refuse) and need no `resolver` (nginx/upstreams.sh's, in the image).
 */
export function renderDefaultConf(source: string, routing: LocalRouting): string {
  let conf = replaceUpstreamServers(source, 'api', routing.apiServers);
  conf = replaceUpstreamServers(conf, 'web', [routing.webServer]);
  const listen = /^([ \t]*)listen\s+80;[ \t]*$/m;
  if (!listen.test(conf)) throw new Error('nginx/default.conf has no `listen 80;` line to rewrite for the local stack');
  return conf.replace(listen, (_match, indent: string) => `${indent}listen ${routing.listenPort};`);
}

/**
 * The web image's server (web/nginx.conf) with only its `listen` and `root` lines changed: it
 * listens on `listen` (host:port) and serves `root`. Throws if the file no longer has them.
 */
export function renderWebConf(source: string, root: string, listen: string): string {
  const swap = (text: string, pattern: RegExp, line: string) => {
    if (!pattern.test(text)) throw new Error(`web/nginx.conf has no line matching ${pattern} to rewrite`);
    return text.replace(pattern, (_match, indent: string) => `${indent}${line}`);
  };
  const conf = swap(source, /^([ \t]*)listen\s+3000;[ \t]*$/m, `listen ${listen};`);
  // Quoted: a checkout's path may hold spaces.
  const quoted = `"${root.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  return swap(conf, /^([ \t]*)root\s+\/usr\/share\/nginx\/html;[ \t]*$/m, `root ${quoted};`);
}

/** Swaps the `server ...;` lines of `upstream <name> { }` for `servers`, where the first one stood. */
function replaceUpstreamServers(conf: string, name: string, servers: string[]): string {
  const block = new RegExp(`^([ \\t]*upstream\\s+${name}\\s*\\{)([^}]*)(\\})`, 'm');
  const serverLine = /^([ \t]*)server\s+[^;]+;[ \t]*$/;
  const lines = block.exec(conf)?.[2]?.split('\n') ?? [];
  const first = lines.findIndex((line) => serverLine.test(line));
  if (first < 0) {
    throw new Error(`nginx/default.conf has no \`upstream ${name} { server ...; }\` to rewrite for the local stack`);
  }
  const indent = serverLine.exec(lines[first] ?? '')?.[1] ?? '';
  const body = lines.flatMap((line, i) => {
    if (i === first) return servers.map((server) => `${indent}server ${server};`);
    return serverLine.test(line) ? [] : [line];
  });
  return conf.replace(block, (_match, open: string, _body: string, close: string) => open + body.join('\n') + close);
}

/**
 * Writes `nginx.conf` into `dir`: nginx/nginx.conf (the image's main config) with its paths moved
 * there (pid, temp files; nginx's defaults under /var need root), no access log, and `sites` (a
 * file or a glob) included instead of conf.d. Returns the argv for a foreground nginx. `types` replaces the MIME
 * types file (a test that checks a Content-Type passes its own; without it the machine's
 * /etc/nginx/mime.types is used, or a minimal one where there is none).
 */
export function writeMainConf(dir: string, sites: string, types?: string): string[] {
  let conf = readFileSync(path.join(REPO_ROOT, 'nginx', 'nginx.conf'), 'utf8');
  const swap = (pattern: RegExp, line: string) => {
    if (!pattern.test(conf)) throw new Error(`nginx/nginx.conf has no line matching ${pattern} to rewrite`);
    conf = conf.replace(pattern, (_match, indent: string) => `${indent}${line}`);
  };
  swap(/^(\s*)pid\s+\S+;$/m, `pid ${dir}/nginx.pid;`);
  swap(/^(\s*)access_log\s+\S+;$/m, 'access_log off;');
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    swap(new RegExp(`^(\\s*)${temp}_temp_path\\s+\\S+;$`, 'm'), `${temp}_temp_path ${dir}/${temp};`);
  }
  if (types || !existsSync('/etc/nginx/mime.types')) {
    swap(/^(\s*)include\s+\/etc\/nginx\/mime\.types;$/m, types ?? 'types { text/html html; text/javascript js; }');
  }
  swap(/^(\s*)include\s+\/etc\/nginx\/conf\.d\/\*\.conf;$/m, `include ${sites};`);
  const confFile = path.join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  // -e: before reading the config nginx opens its compiled-in error log under /var/log; point it at stderr.
  return ['-p', dir, '-e', 'stderr', '-c', confFile, '-g', 'daemon off;'];
}

/**
 * Renders nginx/default.conf for the local stack into a temp dir, with nginx/real-ip.sh's settings
 * for REAL_IP_FROM (from `env`) beside it, as the image has them, and a main config including both;
 * with `routing.webRoot`, web/nginx.conf too, serving it on `routing.webServer`.
 */
export function prepareNginx(
  routing: LocalRouting,
  env: NodeJS.ProcessEnv = process.env,
): { args: string[]; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fibgraph-nginx-'));
  // Workers run as `nobody` when the master is root; they must reach the temp paths.
  chmodSync(dir, 0o755);
  const sites = path.join(dir, 'conf.d');
  mkdirSync(sites, { mode: 0o755 });
  const source = readFileSync(path.join(REPO_ROOT, 'nginx', 'default.conf'), 'utf8');
  writeFileSync(path.join(sites, 'default.conf'), renderDefaultConf(source, routing));
  if (routing.webRoot) {
    const web = readFileSync(path.join(REPO_ROOT, 'web', 'nginx.conf'), 'utf8');
    const root = workerReadable(routing.webRoot, path.join(dir, 'html'));
    writeFileSync(path.join(sites, 'web.conf'), renderWebConf(web, root, routing.webServer));
  }
  try {
    execFileSync('sh', [path.join(REPO_ROOT, 'nginx', 'real-ip.sh'), path.join(sites, 'real-ip.conf')], {
      env: { PATH: env.PATH, REAL_IP_FROM: env.REAL_IP_FROM ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { args: writeMainConf(dir, path.join(sites, '*.conf')), dir };
}

/**
 * `root` itself when nginx's workers can read it, else a copy of it in `copyTo`. Workers run as
 * `nobody` when the master is root, and a checkout under a private home directory (/root, mode
 * 700) is closed to them; the build is a few megabytes, copied in milliseconds.
 */
function workerReadable(root: string, copyTo: string): string {
  if (process.getuid?.() !== 0) return root;
  const open = (file: string, bits: number) => (statSync(file).mode & bits) === bits;
  const parts = path.resolve(root).split(path.sep);
  const ancestors = parts.map((_part, i) => parts.slice(0, i + 1).join(path.sep) || '/');
  if (ancestors.every((dir) => open(dir, 0o005)) && open(path.join(root, 'index.html'), 0o004)) return root;
  cpSync(root, copyTo, { recursive: true });
  for (const entry of ['', ...readdirSync(copyTo, { recursive: true, encoding: 'utf8' })]) {
    const file = path.join(copyTo, entry);
    chmodSync(file, statSync(file).isDirectory() ? 0o755 : 0o644);
  }
  return copyTo;
}
