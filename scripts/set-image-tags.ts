/**
 * `node scripts/set-image-tags.ts --namespace <registry namespace> --tag <tag> [Dockerrun.aws.json]`
 *
 * Run by the Travis deploy stage before it zips the bundle: points every container of a
 * Dockerrun.aws.json (version 2) at `<namespace>/<repository>:<tag>`, the tag being the commit
 * SHA. Each Elastic Beanstalk application version then names the exact images built from its
 * commit, so rolling back to an older version runs the older images, not whatever `latest` is now.
 *
 * Node 24 runs this file as it is (type stripping), so the deploy job installs nothing: keep it
 * free of imports other than node: built-ins and of TypeScript syntax that needs compiling.
 * On Node 20: `node --import tsx scripts/set-image-tags.ts ...`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface ContainerDefinition {
  name: string;
  image: string;
  [key: string]: unknown;
}

export interface Dockerrun {
  AWSEBDockerrunVersion: number;
  containerDefinitions: ContainerDefinition[];
  [key: string]: unknown;
}

/** Docker Hub's rule for a namespace (user or organisation) and Docker's rule for a tag. */
const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `docker.io/old/fibgraph-api:latest` or `old/fibgraph-api@sha256:...` -> `fibgraph-api`. */
export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const last = withoutDigest.split('/').pop() ?? '';
  return last.split(':')[0] ?? '';
}

/** A copy of `dockerrun` with every image moved to `namespace` and `tag`; throws on anything it cannot rewrite. */
export function setImageTags(dockerrun: Dockerrun, namespace: string, tag: string): Dockerrun {
  if (!NAMESPACE.test(namespace)) throw new Error(`not a registry namespace: "${namespace}"`);
  if (!TAG.test(tag)) throw new Error(`not an image tag: "${tag}"`);
  if (dockerrun.AWSEBDockerrunVersion !== 2 || !Array.isArray(dockerrun.containerDefinitions)) {
    throw new Error('not a Dockerrun.aws.json version 2 (AWSEBDockerrunVersion 2 with containerDefinitions)');
  }
  return {
    ...dockerrun,
    containerDefinitions: dockerrun.containerDefinitions.map((container) => {
      const repository = typeof container.image === 'string' ? repositoryOf(container.image) : '';
      if (!repository) throw new Error(`container "${container.name}" has no image to retag`);
      return { ...container, image: `${namespace}/${repository}:${tag}` };
    }),
  };
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { namespace: { type: 'string' }, tag: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0] ?? 'Dockerrun.aws.json';
  if (!values.namespace || !values.tag) {
    console.error('usage: set-image-tags --namespace <registry namespace> --tag <tag> [Dockerrun.aws.json]');
    process.exit(2);
  }
  const before = JSON.parse(readFileSync(file, 'utf8')) as Dockerrun;
  const after = setImageTags(before, values.namespace, values.tag);
  writeFileSync(file, `${JSON.stringify(after, null, 2)}\n`);
  for (const container of after.containerDefinitions) console.log(`${file}: ${container.name} -> ${container.image}`);
}

// Run as a program, not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`set-image-tags: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
