/**
 * k8s/ (kustomize base, overlays dev and prod), checked without a cluster: rendered by
 * `kubectl kustomize`, every object validated against the Kubernetes API schemas (kubernetes-models,
 * KEDA's CRDs from @kubernetes-models/keda), then against the rest of the repository: the ports
 * and routes of nginx/default.conf, the Dockerfiles' health checks, the images of
 * Dockerrun.aws.json, the services' own config modules and the job streams of packages/core.
 */
import { describe, expect, it } from 'vitest';
import { LANES, redisKeys, WORKER_GROUP } from '@fibgraph/core';
import { setKustomizationImageTags } from '../../scripts/set-image-tags.js';
import { parse } from 'yaml';
import { cmdOf, healthcheckOf, readDockerfile, targetStage } from './lib/dockerfile.js';
import { quantity, renderKustomization, type K8sObject } from './lib/kustomize.js';
import { IMAGES, nginxUpstreams, readRepoFile, type ImageName } from './lib/project.js';
import { loadServiceConfig, type ConfiguredService } from './lib/service-env.js';
import { nginxRoute, ingressRoute, SAMPLE_URIS } from './lib/routes.js';

const DIRS = ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/prod'] as const;
const OVERLAYS = ['k8s/overlays/dev', 'k8s/overlays/prod'] as const;
/** Our images a cluster runs: all but nginx, whose part the Ingress plays. */
const K8S_IMAGES = (Object.keys(IMAGES) as ImageName[]).filter((name) => name !== 'nginx');

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Probe {
  httpGet?: { path: string; port: number | string };
  exec?: { command: string[] };
}

const render = (dir: string) => renderKustomization(dir);
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
/** Pod templates of every workload, with where they come from. */
function podSpecs(objects: K8sObject[]) {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
    .map((o) => ({
      owner: `${o.kind}/${o.metadata.name}`,
      spec: o.spec.template.spec,
      claims: ((o.spec.volumeClaimTemplates ?? []) as { metadata: { name: string } }[]).map((t) => t.metadata.name),
    }));
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a pod spec, as rendered
function containersOf(spec: any): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers] as Container[];
}
const container = (objects: K8sObject[], deployment: string, name = deployment): Container =>
  containersOf(named(objects, 'Deployment', deployment).spec.template.spec).find((c) => c.name === name)!;

/** The schema model of an object: kubernetes-models for the API's own kinds, @kubernetes-models/keda for KEDA's. */
async function modelOf(object: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const module = object.apiVersion.startsWith('keda.sh/')
    ? await import(`@kubernetes-models/keda/${object.apiVersion}/${object.kind}`)
    : await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
  return (module as Record<string, new (data: unknown) => { validate(): void }>)[object.kind]!;
}

/** The env a container gets, ConfigMaps resolved; Secret references as `<secret:name/key>`. */
function envOf(objects: K8sObject[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, named(objects, 'ConfigMap', from.configMapRef.name).data);
    if (from.secretRef) throw new Error(`${c.name}: envFrom a Secret hides which names it sets; use secretKeyRef`);
  }
  for (const { name, value, valueFrom } of c.env ?? []) {
    const ref = valueFrom?.secretKeyRef;
    env[name] = ref ? `<secret:${ref.name}/${ref.key}>` : (value ?? '');
  }
  return env;
}

/** Plausible values for what the Secrets hold (prod's are created by hand, docs/kubernetes.md). */
const SECRET_SAMPLES: Record<string, string> = {
  DATABASE_URL: 'postgresql://fibgraph:secret@db.example.internal:5432/fibgraph',
  REDIS_URL: 'redis://cache.example.internal:6379',
};

/**
 * Kustomize folds a generated Secret's long base64 values over lines; the API server's decoder
 * skips the line breaks, the schema's `byte` format does not.
 */
function withoutFoldedBase64(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  return {
    ...object,
    data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, v.replace(/\s/g, '')])),
  };
}

/** envOf with each Secret reference filled: from a Secret the overlay generates, else a sample. */
function resolvedEnv(objects: K8sObject[], c: Container): Record<string, string> {
  const env = envOf(objects, c);
  for (const [name, value] of Object.entries(env)) {
    const secret = /^<secret:([^/]+)\/(.+)>$/.exec(value);
    if (!secret) continue;
    const generated = ofKind(objects, 'Secret').find((s) => s.metadata.name === secret[1]);
    env[name] = generated
      ? Buffer.from(generated.data![secret[2]!]!, 'base64').toString()
      : (SECRET_SAMPLES[secret[2]!] ?? '');
  }
  return env;
}

describe.each(DIRS)('%s', (dir) => {
  it('renders with kubectl kustomize into objects that all match the Kubernetes API schemas', async () => {
    const objects = render(dir);
    expect(objects.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const object of objects) {
      try {
        const Model = await modelOf(object);
        new Model(withoutFoldedBase64(object)).validate();
      } catch (error) {
        problems.push(
          `${object.kind}/${object.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every container cpu and memory requests and limits, each request within its limit', () => {
    for (const { owner, spec } of podSpecs(render(dir))) {
      for (const c of containersOf(spec)) {
        for (const resource of ['cpu', 'memory']) {
          const request = c.resources?.requests?.[resource];
          const limit = c.resources?.limits?.[resource];
          expect(request, `${owner} ${c.name}: requests.${resource}`).toBeDefined();
          expect(limit, `${owner} ${c.name}: limits.${resource}`).toBeDefined();
          expect(quantity(request!), `${owner} ${c.name}: ${resource}`).toBeLessThanOrEqual(quantity(limit!));
        }
      }
    }
  });

  it('runs every container as non-root with a read-only root filesystem, no escalation and no capabilities', () => {
    for (const { owner, spec, claims } of podSpecs(render(dir))) {
      expect(spec.securityContext?.runAsNonRoot, `${owner}: runAsNonRoot`).toBe(true);
      expect(spec.securityContext?.runAsUser, `${owner}: runAsUser`).toBeGreaterThan(0);
      for (const c of containersOf(spec)) {
        expect(c.securityContext?.allowPrivilegeEscalation, `${owner} ${c.name}`).toBe(false);
        expect(c.securityContext?.capabilities?.drop, `${owner} ${c.name}`).toEqual(['ALL']);
        expect(c.securityContext?.readOnlyRootFilesystem, `${owner} ${c.name}`).toBe(true);
        for (const mount of c.volumeMounts ?? []) {
          const volumes = [...(spec.volumes ?? []).map((v: { name: string }) => v.name), ...claims];
          expect(volumes, `${owner} ${c.name}: a volume for ${mount.mountPath}`).toContain(mount.name);
        }
      }
    }
  });

  it('probes the gateway on its port: readiness /readyz, liveness /healthz, as its image checks', () => {
    const objects = render(dir);
    const api = container(objects, 'api');
    const port = loadServiceConfig('api', resolvedEnv(objects, api)).config!.port as number;
    const upstream = nginxUpstreams().find((u) => u.host === 'api')!;
    expect(port).toBe(upstream.port);
    expect(api.ports).toContainEqual({ name: 'http', containerPort: port });
    expect(api.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(api.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const imageCheck = healthcheckOf(targetStage(readDockerfile('gateway/Dockerfile'), 'runtime'))!;
    expect(imageCheck.command.argv.join(' ')).toContain("'/healthz'");
    expect(named(objects, 'Service', 'api').spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
  });

  it('serves the web client on port 3000 and checks it there', () => {
    const objects = render(dir);
    const web = container(objects, 'web');
    const upstream = nginxUpstreams().find((u) => u.host === 'web')!;
    expect(web.ports).toContainEqual({ name: 'http', containerPort: upstream.port });
    expect(web.readinessProbe?.httpGet?.port).toBe('http');
    expect(web.livenessProbe?.httpGet?.port).toBe('http');
    expect(named(objects, 'Service', 'web').spec.ports).toEqual([
      { name: 'http', port: upstream.port, targetPort: 'http' },
    ]);
  });

  it("checks the worker's liveness with its image's HEALTHCHECK, on a heartbeat file it can write", () => {
    const objects = render(dir);
    const worker = container(objects, 'worker');
    const stage = targetStage(readDockerfile('worker/Dockerfile'), 'runtime');
    expect(worker.livenessProbe?.exec?.command).toEqual(healthcheckOf(stage)!.command.argv);
    const file = loadServiceConfig('worker', resolvedEnv(objects, worker)).config!.healthFile as string;
    const spec = named(objects, 'Deployment', 'worker').spec.template.spec;
    const mount = worker.volumeMounts?.find((m) => file.startsWith(`${m.mountPath}/`));
    expect(mount, `HEALTH_FILE ${file} on a mounted volume`).toBeDefined();
    expect(spec.volumes.find((v: { name: string }) => v.name === mount!.name).emptyDir).toBeDefined();
  });

  it('gives each Service a workload whose pods it selects, and a named port they have', () => {
    const objects = render(dir);
    for (const service of ofKind(objects, 'Service')) {
      const selector = service.spec.selector as Record<string, string>;
      const pods = objects.filter(
        (o) =>
          ['Deployment', 'StatefulSet'].includes(o.kind) &&
          Object.entries(selector).every(([k, v]) => o.spec.template.metadata.labels?.[k] === v),
      );
      expect(pods.length, `Service ${service.metadata.name}`).toBe(1);
      const ports = containersOf(pods[0]!.spec.template.spec).flatMap((c) => c.ports ?? []);
      for (const { targetPort } of service.spec.ports) {
        expect(
          ports.map((p) => p.name),
          `Service ${service.metadata.name}`,
        ).toContain(targetPort);
      }
    }
  });

  it('keeps api and worker available through drains, and scales the api on CPU', () => {
    const objects = render(dir);
    for (const name of ['api', 'worker']) {
      const labels = named(objects, 'Deployment', name).spec.template.metadata.labels;
      const pdb = ofKind(objects, 'PodDisruptionBudget').find((p) =>
        Object.entries(p.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v),
      );
      expect(pdb, `PodDisruptionBudget for ${name}`).toBeDefined();
    }
    const hpa = named(objects, 'HorizontalPodAutoscaler', 'api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(hpa.spec.metrics).toContainEqual(
      expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
    );
  });

  it('applies the migrations before a gateway starts, with the migrate image', () => {
    const spec = named(render(dir), 'Deployment', 'api').spec.template.spec;
    const [init] = spec.initContainers as Container[];
    expect(init!.image.split(':')[0]!.split('/').pop()).toBe(IMAGES.migrate.repository);
    expect(init!.command, 'the image runs its own CMD (prisma migrate deploy)').toBeUndefined();
    expect(cmdOf(targetStage(readDockerfile('gateway/Dockerfile'), 'migrate'))!.argv.slice(1)).toEqual([
      'migrate',
      'deploy',
    ]);
    expect(Object.keys(envOf(render(dir), init!))).toEqual(['DATABASE_URL']);
  });

  it('gives api and worker only env names their config modules read', () => {
    const objects = render(dir);
    for (const service of ['api', 'worker'] as ConfiguredService[]) {
      const env = envOf(objects, container(objects, service));
      const { namesRead } = loadServiceConfig(service, env);
      for (const name of Object.keys(env)) expect(namesRead, `${service} reads ${name}`).toContain(name);
    }
  });

  it('routes like nginx/default.conf, through Ingresses of the class nginx', () => {
    const ingresses = ofKind(render(dir), 'Ingress');
    for (const ingress of ingresses) expect(ingress.spec.ingressClassName, ingress.metadata.name).toBe('nginx');
    for (const uri of SAMPLE_URIS) expect(ingressRoute(ingresses, uri), uri).toEqual(nginxRoute(uri));
  });

  it('limits /api like nginx/default.conf: rate, burst, connections, body size, socket timeouts', () => {
    const conf = readRepoFile('nginx/default.conf');
    const num = (pattern: RegExp) => Number(pattern.exec(conf)![1]);
    const a = named(render(dir), 'Ingress', 'api').metadata.annotations!;
    const ann = (key: string) => a[`nginx.ingress.kubernetes.io/${key}`];
    expect(Number(ann('limit-rps'))).toBe(num(/zone=fibgraph_api:\S+ rate=(\d+)r\/s;/));
    expect(Number(ann('limit-rps')) * Number(ann('limit-burst-multiplier'))).toBe(
      num(/limit_req zone=fibgraph_api burst=(\d+)/),
    );
    expect(Number(ann('limit-connections'))).toBe(num(/limit_conn fibgraph_conn (\d+);/));
    expect(ann('proxy-body-size')).toBe(/client_max_body_size (\S+);/.exec(conf)![1]);
    expect(Number(ann('proxy-read-timeout'))).toBe(num(/proxy_read_timeout (\d+)s;/));
    expect(Number(ann('proxy-send-timeout'))).toBe(num(/proxy_send_timeout (\d+)s;/));
  });
});

describe.each(OVERLAYS)('%s', (dir) => {
  it('pins every image like Dockerrun.aws.json: its repositories, one tag, never latest', () => {
    const dockerrun = JSON.parse(readRepoFile('Dockerrun.aws.json')) as { containerDefinitions: { image: string }[] };
    const namespaces = new Set(dockerrun.containerDefinitions.map((c) => c.image.split('/')[0]));
    const ours = podSpecs(render(dir))
      .flatMap(({ spec }) => containersOf(spec))
      .filter((c) => c.image.includes('fibgraph-'));
    const tags = new Set<string>();
    for (const c of ours) {
      const match = /^([a-z0-9._-]+)\/([a-z0-9._-]+):([\w][\w.-]{0,127})$/.exec(c.image);
      expect(match, `${c.name}: ${c.image}`).not.toBeNull();
      expect(namespaces).toContain(match![1]);
      expect(K8S_IMAGES).toContain(c.name);
      expect(match![2]).toBe(IMAGES[c.name as ImageName].repository);
      expect(match![3]).not.toBe('latest');
      tags.add(match![3]!);
    }
    expect(ours.map((c) => c.name).sort()).toEqual([...K8S_IMAGES].sort());
    expect(tags.size).toBe(1);
    for (const c of podSpecs(render(dir)).flatMap(({ spec }) => containersOf(spec))) {
      expect(c.image, c.name).toMatch(/:[\w][\w.-]*$/);
      expect(c.image, c.name).not.toMatch(/:latest$/);
    }
  });

  it('gives api and worker a complete config once the Secret holds what the docs say', () => {
    const objects = render(dir);
    const docs = readRepoFile('docs/kubernetes.md');
    for (const service of ['api', 'worker'] as ConfiguredService[]) {
      const c = container(objects, service);
      for (const { valueFrom } of c.env ?? []) {
        const ref = valueFrom?.secretKeyRef;
        if (ref && !ofKind(objects, 'Secret').some((s) => s.metadata.name === ref.name)) {
          expect(docs, `docs/kubernetes.md says to create ${ref.name} with ${ref.key}`).toContain(ref.key);
        }
      }
      expect(loadServiceConfig(service, resolvedEnv(objects, c)).problems, service).toEqual([]);
    }
  });
});

describe('k8s/overlays/dev', () => {
  const dir = 'k8s/overlays/dev';
  it('runs Postgres and Redis in the cluster, where the Secret points', () => {
    const objects = render(dir);
    expect(named(objects, 'Service', 'postgres').spec.ports[0].port).toBe(5432);
    expect(named(objects, 'Service', 'redis').spec.ports[0].port).toBe(6379);
    const secret = ofKind(objects, 'Secret').find((s) => s.metadata.name.startsWith('fibgraph-'))!;
    const value = (key: string) => Buffer.from(secret.data![key]!, 'base64').toString();
    expect(new URL(value('DATABASE_URL')).host).toBe('postgres:5432');
    expect(new URL(value('REDIS_URL')).host).toBe('redis:6379');
    expect(value('DATABASE_URL'), 'only obviously-development credentials').toContain('dev-only');
  });
});

describe('k8s/overlays/prod', () => {
  const dir = 'k8s/overlays/prod';
  it('holds no credentials: every Secret is created in the cluster, not generated from the repository', () => {
    expect(ofKind(render(dir), 'Secret')).toEqual([]);
  });

  it("scales the worker with KEDA on each job lane's backlog, for the workers group", () => {
    const objects = render(dir);
    const scaled = named(objects, 'ScaledObject', 'worker');
    expect(scaled.spec.scaleTargetRef.name).toBe('worker');
    expect(named(objects, 'Deployment', 'worker').spec.replicas, 'KEDA owns the replica count').toBeUndefined();
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    const worker = container(objects, 'worker');
    const keys = redisKeys(loadServiceConfig('worker', resolvedEnv(objects, worker)).config!.redisPrefix as string);
    const triggers = scaled.spec.triggers as {
      type: string;
      metadata: Record<string, string>;
      authenticationRef?: { name: string };
    }[];
    expect(triggers.map((t) => t.metadata.stream).sort()).toEqual(LANES.map((lane) => keys.jobs(lane)).sort());
    for (const trigger of triggers) {
      expect(trigger.type).toBe('redis-streams');
      expect(trigger.metadata.consumerGroup).toBe(WORKER_GROUP);
      expect(Number(trigger.metadata.streamLength)).toBeGreaterThan(0);
      named(objects, 'TriggerAuthentication', trigger.authenticationRef!.name);
    }
  });

  it('can have its images pinned to a commit by scripts/set-image-tags.ts', () => {
    const file = 'k8s/overlays/prod/kustomization.yaml';
    const pinned = parse(setKustomizationImageTags(readRepoFile(file), 'someone', '0123abcd')) as {
      images: { name: string; newName: string; newTag: string }[];
    };
    expect(pinned.images.map((i) => `${i.newName}:${i.newTag}`).sort()).toEqual(
      [...K8S_IMAGES].sort().map((n) => `someone/${IMAGES[n].repository}:0123abcd`),
    );
  });
});
