import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './project.js';

/** The fields of a Kubernetes object these checks read; the schema test covers the rest. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each check reads the part it knows
  data?: Record<string, string>;
}

const rendered = new Map<string, K8sObject[]>();

/**
 * `kubectl kustomize <dir>` (repository-relative), parsed; rendered once per directory. Throws,
 * so that every test using it fails, when kubectl is missing or the kustomization is invalid.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const cached = rendered.get(dir);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', path.join(REPO_ROOT, dir)], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: these checks render k8s/ with `kubectl kustomize`. Install kubectl ' +
          'v1.32 or later (it includes kustomize), e.g. the Debian package `kubectl` from ' +
          "https://pkgs.k8s.io or the Google Cloud CLI repository; not Debian's `kubernetes-client`.",
      );
    }
    throw new Error(`kubectl kustomize ${dir} failed: ${err.stderr ?? err.message}`);
  }
  const objects = parseAllDocuments(output).map((doc) => {
    if (doc.errors.length) throw new Error(`${dir}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as K8sObject;
  });
  rendered.set(dir, objects);
  return objects;
}

/** Kubernetes resource quantities in base units: `500m` -> 0.5, `256Mi` -> 268435456. */
export function quantity(value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity this check knows: ${value}`);
  const factors: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
  return Number(match[1]) * (match[2] ? factors[match[2]]! : 1);
}
