/**
 * .travis.yml, checked without Travis: test, then build and push every image, then deploy to
 * Elastic Beanstalk from main only, after the pushes.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baseImages, readDockerfile } from './lib/dockerfile.js';
import { IMAGES, readmeTestCommand, readRepoFile } from './lib/project.js';

interface TravisDeploy {
  provider: string;
  script?: string;
  on?: { branch?: string };
  [option: string]: unknown;
}

interface TravisJob {
  stage?: string;
  env?: string | string[];
  script?: string | string[];
  deploy?: TravisDeploy | TravisDeploy[];
  after_success?: unknown;
  [key: string]: unknown;
}

interface TravisConfig {
  node_js?: string | string[];
  stages?: (string | { name: string; if?: string })[];
  jobs?: { include?: TravisJob[] };
  after_success?: unknown;
  deploy?: unknown;
}

const text = readRepoFile('.travis.yml');
// Travis accepts YAML anchors and `<<` merge keys, which the image jobs use.
const travis = parse(text, { merge: true }) as TravisConfig;
const jobs = travis.jobs?.include ?? [];
const stageOf = (job: TravisJob, index: number): string => {
  // A job without `stage` belongs to the stage of the job before it, as in Travis.
  for (let i = index; i >= 0; i--) if (jobs[i]!.stage) return jobs[i]!.stage!;
  return 'test';
};
const inStage = (stage: string) => jobs.filter((job, i) => stageOf(job, i) === stage);
const lines = (value: string | string[] | undefined) => [value ?? []].flat().map((line) => line.replace(/\s+/g, ' '));
const envOf = (job: TravisJob) =>
  Object.fromEntries(
    lines(job.env)
      .flatMap((entry) => entry.split(' '))
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
const deploysOf = (job: TravisJob) => [job.deploy ?? []].flat();

describe('.travis.yml', () => {
  it('runs the stages test, images, deploy in that order, deploying for pushes to main only', () => {
    const names = (travis.stages ?? []).map((stage) => (typeof stage === 'string' ? stage : stage.name));
    expect(names).toEqual(['test', 'images', 'deploy']);
    const deploy = travis.stages!.find((stage) => typeof stage === 'object' && stage.name === 'deploy');
    expect(typeof deploy === 'object' && deploy.if).toMatch(/\bbranch = main\b.*\btype = push\b/);
  });

  it("runs the README's test command with CI=true, on the Node version the images run", () => {
    const [test, ...others] = inStage('test');
    expect(others).toEqual([]);
    const script = lines(test!.script).join('\n');
    const readme = readmeTestCommand();
    // Directly, or through .ci/run (the project's CI script), which must then run it with CI=true.
    const viaCiRun = /\bbash \.ci\/run\b/.test(script);
    if (viaCiRun) {
      const ciRun = readRepoFile('.ci/run').split('\n');
      expect(ciRun, '.ci/run exports CI=true').toContain('export CI=true');
      expect(ciRun, `.ci/run runs ${readme}`).toContain(readme);
    } else {
      expect(lines(test!.script)).toContain(readme);
    }
    expect(/--env CI=true\b/.test(script) || envOf(test!).CI === 'true', 'CI=true').toBe(true);

    const node = baseImages(readDockerfile('gateway/Dockerfile')).find((image) => image.startsWith('node:'))!;
    const version = /^node:([\d.]+)/.exec(node)![1]!;
    expect(String(travis.node_js), 'node_js').toBe(version);
    const container = /docker run .*?\bnode:([\d.]+)-/.exec(script)?.[1];
    if (/\bdocker run\b/.test(script)) expect(container, 'the test container').toBe(version);
  });

  it('builds every image tagged with the commit SHA and latest, and pushes both from main', () => {
    const built = inStage('images').map((job) => {
      const env = envOf(job);
      const build = lines(job.script).join(' ');
      expect(build, env.IMAGE).toMatch(/docker build .*--tag "[^"]*\/\$IMAGE:\$TRAVIS_COMMIT"/);
      expect(build, env.IMAGE).toMatch(/docker build .*--tag "[^"]*\/\$IMAGE:latest"/);
      const [push, ...more] = deploysOf(job);
      expect(more).toEqual([]);
      expect(push?.provider, env.IMAGE).toBe('script');
      expect(push?.on?.branch, env.IMAGE).toBe('main');
      const script = lines(push?.script).join(' ');
      expect(script).toMatch(
        /echo "\$DOCKER_PASSWORD" \| docker login --username "\$DOCKER_USERNAME" --password-stdin/,
      );
      expect(script).toContain('docker push "$DOCKER_USERNAME/$IMAGE:$TRAVIS_COMMIT"');
      expect(script).toContain('docker push "$DOCKER_USERNAME/$IMAGE:latest"');
      return [env.IMAGE, { dockerfile: env.DOCKERFILE, target: env.TARGET, context: env.CONTEXT }];
    });
    const expected = Object.values(IMAGES).map(({ repository, dockerfile, target, context }) => [
      repository,
      { dockerfile, target, context },
    ]);
    expect(Object.fromEntries(built)).toEqual(Object.fromEntries(expected));
  });

  it('deploys to Elastic Beanstalk from main, with the images pinned to the commit, settings from Travis', () => {
    const [job, ...others] = inStage('deploy');
    expect(others).toEqual([]);
    const script = lines(job!.script);
    expect(
      script.some((line) => /scripts\/set-image-tags\.ts .*--tag "\$TRAVIS_COMMIT" Dockerrun\.aws\.json/.test(line)),
    ).toBe(true);
    const [eb, ...more] = deploysOf(job!);
    expect(more).toEqual([]);
    expect(eb?.provider).toBe('elasticbeanstalk');
    expect(eb?.on?.branch).toBe('main');
    expect(script.some((line) => line.includes(`zip -j "${String(eb?.zip_file)}" Dockerrun.aws.json`))).toBe(true);
    // Account-specific values and secrets come from Travis settings, never from this file.
    for (const option of ['access_key_id', 'secret_access_key', 'region', 'app', 'env', 'bucket']) {
      expect(String(eb?.[option]), option).toMatch(/^\$[A-Z_]+$/);
    }
  });

  it('deploys and pushes nowhere else, and never from after_success (whose failures Travis ignores)', () => {
    expect(text).not.toMatch(/^\s*after_success:/m);
    expect(travis.deploy).toBeUndefined();
    for (const [i, job] of jobs.entries()) {
      if (!['images', 'deploy'].includes(stageOf(job, i))) expect(job.deploy, stageOf(job, i)).toBeUndefined();
    }
  });
});
