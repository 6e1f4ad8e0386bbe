import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './project.js';

/** The parts of a compose service these checks read; the schema test covers the rest. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { published?: string | number; target?: number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A compose file as compose reads it: YAML with anchors and `<<` merge keys resolved. */
export function readComposeFile(file: string): ComposeFile {
  return parse(readFileSync(path.join(REPO_ROOT, file), 'utf8'), { merge: true }) as ComposeFile;
}

/** KEY=VALUE lines of a dotenv file, as compose reads `.env` (comments and blank lines skipped). */
export function readDotenv(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

export class InterpolationError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Compose's `${...}` interpolation: `$$` escapes, `${VAR}`, `$VAR`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`. The `:` forms
 * treat an empty value like an unset one. Nested expressions are refused, not guessed at.
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      if (whole === '$$') return '$';
      if (bare !== undefined) return vars[bare] ?? '';
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(braced ?? '');
      if (!match || match[4]?.includes('$')) throw new Error(`unsupported interpolation ${whole}`);
      const [, name = '', colon, op, arg = ''] = match;
      const value = vars[name];
      const missing = colon ? !value : value === undefined;
      if (op === '-') return missing ? arg : value!;
      if (op === '?') {
        if (missing) throw new InterpolationError(name, `${name}: ${arg || 'required'}`);
        return value!;
      }
      if (op === '+') return missing ? '' : arg;
      return value ?? '';
    },
  );
}

/** Interpolates every string in `value` (compose interpolates values, not keys). */
export function interpolateDeep<T>(value: T, vars: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => interpolateDeep(item, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars)])) as T;
  }
  return value;
}

/** Names of the variables a compose file interpolates. */
export function variablesUsed(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)|(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    names.add((match[1] ?? match[2])!);
  }
  return names;
}

/** A service's `environment`, in either of compose's two forms, as strings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0]!, entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `depends_on` in its long form; the short (list) form has no conditions, which the checks refuse. */
export function dependenciesOf(service: ComposeService): Record<string, { condition?: string }> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((name) => [name, {}])) : deps;
}

/** The build of a service as compose resolves it: context relative to the repository root, Dockerfile relative to that. */
export function buildOf(service: ComposeService): { context: string; dockerfile: string; target?: string } | undefined {
  if (service.build === undefined) return undefined;
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = build.context ?? '.';
  return { context, dockerfile: path.join(context, build.dockerfile ?? 'Dockerfile'), target: build.target };
}
