/**
 * Dockerrun.aws.json for Elastic Beanstalk's ECS platform, checked without AWS: its shape, the
 * containers it runs, how they find each other, and that the env EB will give them is enough.
 */
import { describe, expect, it } from 'vitest';
import { setImageTags, type ContainerDefinition, type Dockerrun } from '../../scripts/set-image-tags.js';
import { IMAGES, nginxUpstreams, readRepoFile } from './lib/project.js';
import { CONFIG_MODULES, loadServiceConfig, requiredEnvNames, type ConfiguredService } from './lib/service-env.js';

interface EcsContainer extends ContainerDefinition {
  essential?: boolean;
  memory?: number;
  memoryReservation?: number;
  links?: string[];
  portMappings?: { hostPort?: number; containerPort?: number }[];
  dependsOn?: { containerName: string; condition: string }[];
  environment?: { name: string; value: string }[];
}

const dockerrun = JSON.parse(readRepoFile('Dockerrun.aws.json')) as Dockerrun;
const containers = dockerrun.containerDefinitions as EcsContainer[];
const byName = new Map(containers.map((c): [string, EcsContainer] => [c.name, c]));

/**
 * The containers whose exit must stop the task, so that ECS replaces it: nginx (the only way
 * in), and api, worker and web, each of which the application cannot work without; a stopped one
 * would otherwise stay stopped, since ECS restarts no single container. The migrations run once
 * and exit, so they must not be essential.
 */
const ESSENTIAL = ['api', 'nginx', 'web', 'worker'];

/** What EB environment properties supply, in the shape docs/deploy.md describes (RDS, ElastiCache). */
const EB_PROPERTIES = {
  DATABASE_URL: 'postgresql://fibgraph:secret@fibgraph.abc123.eu-west-1.rds.amazonaws.com:5432/fibgraph',
  REDIS_URL: 'redis://fibgraph.abc123.0001.euw1.cache.amazonaws.com:6379',
};

describe('Dockerrun.aws.json', () => {
  it('is version 2 with uniquely named containers, each with an image and a memory limit', () => {
    expect(dockerrun.AWSEBDockerrunVersion).toBe(2);
    expect(byName.size).toBe(containers.length);
    for (const container of containers) {
      expect(container.image, container.name).toMatch(/^[a-z0-9]+(?:[._-][a-z0-9]+)*\/[a-z0-9._-]+:[\w.-]+$/);
      // ECS needs memory or memoryReservation; a hard limit of at least 6 MiB is the Docker minimum.
      expect(Number.isInteger(container.memory) && container.memory! >= 6, `${container.name}: memory`).toBe(true);
    }
  });

  it('runs every image the project builds, from its registry repository', () => {
    expect([...byName.keys()].sort()).toEqual(Object.keys(IMAGES).sort());
    for (const [name, image] of Object.entries(IMAGES)) {
      expect(byName.get(name)!.image.split('/').pop()!.split(':')[0], name).toBe(image.repository);
    }
  });

  it('marks exactly the intended containers essential, each flag set explicitly', () => {
    for (const container of containers) expect(typeof container.essential, container.name).toBe('boolean');
    expect(
      containers
        .filter((c) => c.essential)
        .map((c) => c.name)
        .sort(),
    ).toEqual(ESSENTIAL);
  });

  it('links nginx to every upstream of nginx/default.conf, and only to containers that exist', () => {
    for (const container of containers) {
      for (const link of container.links ?? [])
        expect(byName.has(link.split(':')[0]!), `${container.name} -> ${link}`).toBe(true);
    }
    const links = (byName.get('nginx')!.links ?? []).map((link) => link.split(':').pop());
    for (const { host } of nginxUpstreams()) expect(links, host).toContain(host);
  });

  it('has nginx resolve the linked names once, at start: links write /etc/hosts, which no DNS server knows', () => {
    // nginx/upstreams.sh also detects the linked names in /etc/hosts; the setting says it outright.
    expect(byName.get('nginx')!.environment).toContainEqual({ name: 'NGINX_RESOLVER', value: 'off' });
  });

  it('maps port 80 of the host to nginx, and no port to anything else', () => {
    const mapped = containers.filter((c) => c.portMappings?.length).map((c) => [c.name, c.portMappings]);
    expect(mapped).toEqual([['nginx', [{ hostPort: 80, containerPort: 80 }]]]);
  });

  it('starts the api only after the migrations succeeded, as ECS allows', () => {
    expect(byName.get('api')!.dependsOn).toContainEqual({ containerName: 'migrate', condition: 'SUCCESS' });
    for (const container of containers) {
      for (const { containerName, condition } of container.dependsOn ?? []) {
        const target = byName.get(containerName);
        expect(target, `${container.name} depends on ${containerName}`).toBeDefined();
        // ECS refuses a task definition whose SUCCESS/COMPLETE dependency is essential.
        if (condition === 'SUCCESS' || condition === 'COMPLETE') expect(target!.essential, containerName).toBe(false);
      }
    }
  });

  it('leaves the endpoints and secrets to EB environment properties, which docs/deploy.md names', () => {
    const deployDoc = readRepoFile('docs/deploy.md');
    for (const container of containers) {
      for (const { name } of container.environment ?? []) {
        expect(name, `${container.name}: ${name} belongs in EB environment properties`).not.toMatch(
          /URL|PASSWORD|SECRET|TOKEN|KEY/,
        );
      }
    }
    for (const service of Object.keys(CONFIG_MODULES) as ConfiguredService[]) {
      for (const name of requiredEnvNames(service)) expect(deployDoc, `docs/deploy.md names ${name}`).toContain(name);
    }
  });

  it.each(Object.keys(CONFIG_MODULES))('gives %s a complete config once EB adds its properties', (name) => {
    const container = byName.get(name)!;
    const env = {
      ...Object.fromEntries((container.environment ?? []).map(({ name: key, value }) => [key, value])),
      ...EB_PROPERTIES,
    };
    // EB passes every environment property to every container; each takes what its config reads.
    expect(loadServiceConfig(name as ConfiguredService, env).problems).toEqual([]);
  });

  it('can have every image pinned to a commit at deploy time', () => {
    const pinned = setImageTags(dockerrun, 'someone', '0123abcd');
    expect(pinned.containerDefinitions.map((c) => c.image)).toEqual(
      containers.map((c) => `someone/${c.image.split('/').pop()!.split(':')[0]}:0123abcd`),
    );
  });
});
