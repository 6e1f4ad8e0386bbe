/**
 * `node scripts/set-image-tags.ts --namespace <registry namespace> --tag <tag> [Dockerrun.aws.json | kustomization.yaml]`
 *
 * Run by the Travis deploy stage before it zips the bundle: points every container of a
 * Dockerrun.aws.json (version 2) at `<namespace>/<repository>:<tag>`, the tag being the commit
 * SHA. Each Elastic Beanstalk application version then names the exact images built from its
 * commit, so rolling back to an older version runs the older images, not whatever `latest` is now.
 * Given a kustomization.yaml instead (k8s/overlays/prod), it pins the `images:` list the same way.
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

/**
 * The text of a kustomization.yaml with every `newName`/`newTag` of its `images:` list moved to
 * `namespace` and `tag`, by line (no YAML parser: this file imports node: built-ins only). Each
 * entry must have both, as k8s/overlays/prod/kustomization.yaml does; comments are kept.
 */
export function setKustomizationImageTags(text: string, namespace: string, tag: string): string {
  if (!NAMESPACE.test(namespace)) throw new Error(`not a registry namespace: "${namespace}"`);
  if (!TAG.test(tag)) throw new Error(`not an image tag: "${tag}"`);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^images:\s*$/.test(line));
  if (start < 0) throw new Error('no top-level `images:` list');
  let entries = 0;
  let pending = { name: false, tag: false };
  const finish = () => {
    if (entries > 0 && !(pending.name && pending.tag)) throw new Error('an `images:` entry lacks newName or newTag');
  };
  for (let i = start + 1; i < lines.length && /^(\s|$)/.test(lines[i]!); i++) {
    const line = lines[i]!;
    if (/^\s*-\s+name:/.test(line)) {
      finish();
      entries++;
      pending = { name: false, tag: false };
    }
    const newName = /^(\s*(?:-\s+)?newName:\s*)(\S+)\s*$/.exec(line);
    if (newName) {
      lines[i] = `${newName[1]}${namespace}/${repositoryOf(newName[2]!.replace(/^['"]|['"]$/g, ''))}`;
      pending.name = true;
    }
    const newTag = /^(\s*(?:-\s+)?newTag:\s*)\S+\s*$/.exec(line);
    if (newTag) {
      lines[i] = `${newTag[1]}${tag}`;
      pending.tag = true;
    }
  }
  finish();
  if (entries === 0) throw new Error('the `images:` list is empty');
  return lines.join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { namespace: { type: 'string' }, tag: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0] ?? 'Dockerrun.aws.json';
  if (!values.namespace || !values.tag) {
    console.error(
      'usage: set-image-tags --namespace <registry namespace> --tag <tag> [Dockerrun.aws.json | kustomization.yaml]',
    );
    process.exit(2);
  }
  if (/\.ya?ml$/.test(file)) {
    writeFileSync(file, setKustomizationImageTags(readFileSync(file, 'utf8'), values.namespace, values.tag));
    console.log(`${file}: images -> ${values.namespace}/<repository>:${values.tag}`);
    return;
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
