/**
 * compose.yaml and compose.dev.yaml, checked without a Docker engine: against the Compose
 * Specification's JSON schema, by dclint (a Compose linter), then the rules of issue 5 with the
 * env each service gets fed to that service's own config module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { describe, expect, it } from 'vitest';
import { WORKER_COMMAND } from '@fibgraph/devstack';
import {
  buildOf,
  dependenciesOf,
  environmentOf,
  interpolateDeep,
  InterpolationError,
  readComposeFile,
  readDotenv,
  variablesUsed,
  type ComposeFile,
  type ComposeService,
} from './lib/compose.js';
import { healthcheckOf, readDockerfile, targetStage } from './lib/dockerfile.js';
import { IMAGES, nginxListenPort, nginxUpstreams, ONE_SHOT, readRepoFile, REPO_ROOT } from './lib/project.js';
import { CONFIG_MODULES, loadServiceConfig, type ConfiguredService } from './lib/service-env.js';

// The Compose Specification's schema (compose-spec/compose-spec, Apache-2.0) as dclint ships it.
const require = createRequire(import.meta.url);
const SCHEMA_FILE = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
// It names its meta-schema (draft-07, Ajv's default) by an https URL Ajv does not know: drop that.
const composeSchema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
delete composeSchema.$schema;
const validateCompose = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(composeSchema);

/** .env.example with its deliberately empty values (the secrets) filled, as a person would. */
function exampleVariables(): Record<string, string> {
  const vars = readDotenv('.env.example');
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, value || `test-${name.toLowerCase()}`]));
}

const raw = readComposeFile('compose.yaml');
const compose = interpolateDeep(raw, exampleVariables());
const services = Object.entries(compose.services);
const isConfigured = (name: string): name is ConfiguredService => name in CONFIG_MODULES;

/** The HEALTHCHECK a service ends up with: its own in compose, else its image's. */
function hasHealthcheck(name: string, service: ComposeService, file: ComposeFile = compose): boolean {
  if (service.healthcheck?.disable) return false;
  if (service.healthcheck?.test) return true;
  const build = buildOf(service) ?? buildOf(file.services[name] ?? {});
  if (!build) return false;
  return healthcheckOf(targetStage(readDockerfile(build.dockerfile), build.target)) !== null;
}

function schemaErrors(file: ComposeFile): string[] {
  return validateCompose(file) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(raw)).toEqual([]);
  });

  it('passes dclint with its correctness and security rules', () => {
    const linter = new DCLinter({
      // dclint turns on every rule not named here. Off: the ordering rules (the file is ordered
      // by the data path, not the alphabet) and no-unbound-port-interfaces (the contract wants
      // 8080 on every interface of the host, as `8080:80`).
      rules: {
        'no-build-and-image': 2,
        'no-duplicate-container-names': 2,
        'no-duplicate-exported-ports': 2,
        'no-quotes-in-volumes': 2,
        'no-unbound-port-interfaces': 0,
        'no-version-field': 2,
        'require-project-name-field': 2,
        'require-quotes-in-ports': 2,
        'service-container-name-regex': 2,
        'service-dependencies-alphabetical-order': 0,
        'service-image-require-explicit-tag': 2,
        'service-keys-order': 0,
        'service-ports-alphabetical-order': 0,
        'services-alphabetical-order': 0,
        'top-level-properties-order': 0,
      },
      quiet: false,
      debug: false,
      exclude: [],
    });
    const [result] = linter.lintFiles([path.join(REPO_ROOT, 'compose.yaml')], false);
    const messages = (result?.messages ?? []) as { line: number; rule: string; message: string }[];
    expect(messages.map((m) => `${m.line}: ${m.rule}: ${m.message}`)).toEqual([]);
  });

  it('builds every image of the project, from a context, Dockerfile and stage that exist', () => {
    const built = Object.fromEntries(services.filter(([, s]) => s.build).map(([name, s]) => [name, buildOf(s)!]));
    expect(Object.keys(built).sort()).toEqual(Object.keys(IMAGES).sort());
    for (const [name, build] of Object.entries(built)) {
      const image = IMAGES[name as keyof typeof IMAGES];
      expect(build, name).toEqual({ context: image.context, dockerfile: image.dockerfile, target: image.target });
      expect(existsSync(path.join(REPO_ROOT, build.context)), `${name}: context ${build.context}`).toBe(true);
      expect(existsSync(path.join(REPO_ROOT, build.dockerfile)), `${name}: ${build.dockerfile}`).toBe(true);
      expect(() => targetStage(readDockerfile(build.dockerfile), build.target), name).not.toThrow();
    }
  });

  it('pulls its other images at pinned versions', () => {
    for (const [name, service] of services.filter(([, s]) => !s.build)) {
      expect(service.image, name).toMatch(/:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
    }
  });

  it('publishes one port only: nginx on 8080', () => {
    const published = services.filter(([, s]) => s.ports?.length).map(([name, s]) => [name, s.ports]);
    expect(published).toEqual([['nginx', ['8080:80']]]);
  });

  it.each(Object.keys(CONFIG_MODULES))(
    'gives %s the env its config module requires, and no name it does not know',
    (name) => {
      expect(isConfigured(name) && compose.services[name], name).toBeTruthy();
      const env = environmentOf(compose.services[name]!);
      const outcome = loadServiceConfig(name as ConfiguredService, env);
      expect(outcome.problems, `${name}: what its config module reports`).toEqual([]);
      const unknown = Object.keys(env).filter((key) => !outcome.namesRead.has(key));
      expect(unknown, `${name}: env names its config module never reads`).toEqual([]);
    },
  );

  it('points the migrations and the api at the database the postgres service creates', () => {
    const url = new URL(environmentOf(compose.services.api!).DATABASE_URL!);
    expect(environmentOf(compose.services.migrate!)).toEqual({ DATABASE_URL: url.href });
    const postgres = environmentOf(compose.services[url.hostname] ?? {});
    expect({ user: url.username, password: url.password, db: url.pathname.slice(1) }).toEqual({
      user: postgres.POSTGRES_USER,
      password: postgres.POSTGRES_PASSWORD,
      db: postgres.POSTGRES_DB,
    });
  });

  it('waits, with a condition, for every service a service talks to', () => {
    for (const [name, service] of services) {
      const deps = dependenciesOf(service);
      // Hosts named in its URLs (DATABASE_URL, REDIS_URL) must be up and healthy before it starts.
      const hosts = Object.values(environmentOf(service))
        .filter((value) => /^[a-z]+:\/\//.test(value))
        .map((value) => new URL(value).hostname);
      const upstreams = name === 'nginx' ? nginxUpstreams().map((u) => u.host) : [];
      for (const host of [...hosts, ...upstreams]) {
        expect(compose.services[host], `${name} reaches ${host}, which is no service`).toBeDefined();
        expect(deps[host]?.condition, `${name} depends_on ${host}`).toBe('service_healthy');
      }
      for (const [dep, { condition }] of Object.entries(deps)) {
        expect(compose.services[dep], `${name} depends on unknown ${dep}`).toBeDefined();
        const expected = ONE_SHOT.has(dep) ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} depends_on ${dep}`).toBe(expected);
        if (expected === 'service_healthy') expect(hasHealthcheck(dep, compose.services[dep]!), dep).toBe(true);
      }
    }
    // The gateway serves only once the migrations are in.
    expect(dependenciesOf(compose.services.api!).migrate?.condition).toBe('service_completed_successfully');
  });

  it('has nginx reach the api and web on the ports they listen on', () => {
    const listening: Record<string, number> = {
      api: Number(loadServiceConfig('api', environmentOf(compose.services.api!)).config?.port),
      web: nginxListenPort('web/nginx.conf'),
    };
    for (const { host, port } of nginxUpstreams()) expect(port, host).toBe(listening[host]);
  });

  it('has a healthcheck for every long-running service', () => {
    for (const [name, service] of services.filter(([n]) => !ONE_SHOT.has(n))) {
      expect(hasHealthcheck(name, service), name).toBe(true);
    }
  });

  it('restarts long-running services, and runs the migrations once', () => {
    for (const [name, service] of services) {
      if (ONE_SHOT.has(name)) expect(service.restart, name).toBe('no');
      else expect(service.restart, name).toMatch(/^(always|unless-stopped|on-failure(:\d+)?)$/);
    }
  });

  it('keeps Postgres data in a named volume, and Redis data in an append-only file on one', () => {
    const named = (service: ComposeService, target: string) =>
      (service.volumes ?? []).some((v) => {
        const [source = '', mount] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
        return mount === target && source in (compose.volumes ?? {});
      });
    expect(named(compose.services.postgres!, '/var/lib/postgresql/data')).toBe(true);
    expect(named(compose.services.redis!, '/data')).toBe(true);
    expect([compose.services.redis!.command].flat().join(' ')).toMatch(/--appendonly yes\b/);
  });

  it('takes its variables from .env, with no default for any credential', () => {
    const text = readRepoFile('compose.yaml');
    const documented = Object.keys(readDotenv('.env.example'));
    expect([...variablesUsed(text)].filter((name) => !documented.includes(name))).toEqual([]);
    // A credential is required (`:?`), never defaulted, and .env.example leaves it empty.
    const credentials = [...variablesUsed(text)].filter((name) => /PASSWORD|SECRET|TOKEN/.test(name));
    expect(credentials.length).toBeGreaterThan(0);
    for (const name of credentials) {
      expect(text, name).not.toMatch(new RegExp(`\\$\\{${name}:?[-+]`));
      expect(readDotenv('.env.example')[name], `.env.example ${name}`).toBe('');
      expect(() => interpolateDeep(raw, { ...exampleVariables(), [name]: '' })).toThrow(InterpolationError);
    }
  });
});

describe('compose.dev.yaml', () => {
  const dev = readComposeFile('compose.dev.yaml');
  const devServices = Object.entries(dev.services);

  it('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(dev)).toEqual([]);
  });

  it('overrides services of compose.yaml, or adds complete ones, building stages that exist', () => {
    for (const [name, service] of devServices) {
      const base = compose.services[name];
      expect(base || service.build, `${name}: neither in compose.yaml nor built`).toBeTruthy();
      const baseBuild = base && buildOf(base);
      const target = typeof service.build === 'object' ? service.build.target : undefined;
      const build = base ? baseBuild && { ...baseBuild, target: target ?? baseBuild.target } : buildOf(service);
      if (!build) continue;
      expect(() => targetStage(readDockerfile(build.dockerfile), build.target), name).not.toThrow();
    }
  });

  it('mounts sources that exist in this checkout, and publishes no port', () => {
    for (const [name, service] of devServices) {
      expect(service.ports, name).toBeUndefined();
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        if (source.startsWith('.')) expect(existsSync(path.join(REPO_ROOT, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('runs the worker with the flags of the local stack and the image (WORKER_COMMAND)', () => {
    const command = [dev.services.worker?.command ?? []].flat().join(' ');
    const node = /\bexec node (.*)$/m.exec(command)?.[1]?.split(/\s+/) ?? [];
    const flags = WORKER_COMMAND.slice(0, -1);
    expect(node.filter((arg) => !arg.startsWith('--watch-path='))).toEqual([...flags, WORKER_COMMAND.at(-1)]);
  });

  it('keeps a healthcheck on every service another one waits for', () => {
    for (const [, service] of services) {
      for (const [dep, { condition }] of Object.entries(dependenciesOf(service))) {
        if (condition !== 'service_healthy' || !dev.services[dep]) continue;
        const merged = { ...compose.services[dep], ...dev.services[dep] };
        const target = typeof dev.services[dep].build === 'object' ? dev.services[dep].build.target : undefined;
        const baseBuild = buildOf(compose.services[dep]!);
        if (baseBuild && target) merged.build = { ...baseBuild, target };
        expect(hasHealthcheck(dep, merged), `${dep} in development`).toBe(true);
      }
    }
  });
});
