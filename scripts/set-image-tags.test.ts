import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@fibgraph/devstack';
import { repositoryOf, setImageTags, type Dockerrun } from './set-image-tags.js';

const dockerrun = (...images: string[]): Dockerrun => ({
  AWSEBDockerrunVersion: 2,
  containerDefinitions: images.map((image, i) => ({ name: `c${i}`, image, essential: true, memory: 64 })),
});

describe('set-image-tags', () => {
  it('points every image at the namespace and tag, keeping the repository and every other field', () => {
    const result = setImageTags(
      dockerrun('fibgraph/fibgraph-api:latest', 'docker.io/old/fibgraph-web', 'x/fibgraph-nginx@sha256:abc'),
      'alice',
      '3f2c1e0',
    );
    expect(result.containerDefinitions).toEqual([
      { name: 'c0', image: 'alice/fibgraph-api:3f2c1e0', essential: true, memory: 64 },
      { name: 'c1', image: 'alice/fibgraph-web:3f2c1e0', essential: true, memory: 64 },
      { name: 'c2', image: 'alice/fibgraph-nginx:3f2c1e0', essential: true, memory: 64 },
    ]);
  });

  it('finds the repository in any image reference', () => {
    expect(repositoryOf('registry.example.com:5000/team/app:1.2')).toBe('app');
    expect(repositoryOf('app')).toBe('app');
  });

  it('refuses what Docker would refuse, instead of writing a broken Dockerrun.aws.json', () => {
    expect(() => setImageTags(dockerrun('a/b:latest'), '', 'abc')).toThrow(/namespace/);
    expect(() => setImageTags(dockerrun('a/b:latest'), 'Alice', 'abc')).toThrow(/namespace/);
    expect(() => setImageTags(dockerrun('a/b:latest'), 'alice', 'a b')).toThrow(/tag/);
    expect(() => setImageTags({ ...dockerrun('a/b'), AWSEBDockerrunVersion: 1 }, 'alice', 'abc')).toThrow(/version 2/);
    expect(() => setImageTags(dockerrun(''), 'alice', 'abc')).toThrow(/no image/);
  });

  it('rewrites the file in place when run as the deploy stage runs it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'set-image-tags-'));
    try {
      const file = path.join(dir, 'Dockerrun.aws.json');
      writeFileSync(file, readFileSync(path.join(REPO_ROOT, 'Dockerrun.aws.json')));
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(REPO_ROOT, 'scripts/set-image-tags.ts'),
          '--namespace',
          'bob',
          '--tag',
          'deadbeef',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const images = (JSON.parse(readFileSync(file, 'utf8')) as Dockerrun).containerDefinitions.map((c) => c.image);
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) expect(image).toMatch(/^bob\/fibgraph-[a-z]+:deadbeef$/);

      const refused = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/set-image-tags.ts'), file],
        {
          encoding: 'utf8',
        },
      );
      expect(refused.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
