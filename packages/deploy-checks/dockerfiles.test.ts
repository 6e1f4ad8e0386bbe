/**
 * The Dockerfiles, checked without a Docker engine: linted by dockerfile-utils (the validator of
 * the Dockerfile language server), then the rules of issue 5 read from the parsed instructions.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { WORKER_COMMAND } from '@fibgraph/devstack';
import {
  argumentsText,
  baseImages,
  cmdOf,
  effective,
  flagsOf,
  healthcheckOf,
  instructions,
  lineage,
  readDockerfile,
  targetStage,
  type Dockerfile,
  type Stage,
} from './lib/dockerfile.js';
import {
  enginesNodeMinimum,
  IMAGES,
  localStackEntries,
  nginxListenPort,
  readRepoFile,
  REPO_ROOT,
} from './lib/project.js';

const DOCKERFILES = [...new Set(Object.values(IMAGES).map((image) => image.dockerfile))];
/** How each Dockerfile gets what its images hold: built from the npm workspace, or copied as is. */
const BUILDS: Record<string, 'npm' | 'copy'> = {
  'gateway/Dockerfile': 'npm',
  'worker/Dockerfile': 'npm',
  'web/Dockerfile': 'npm',
  'nginx/Dockerfile': 'copy',
};
/** Every rule the validator can make stricter, made an error. */
const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/** `node:24.21.0-bookworm-slim` -> `24.21.0`; a tag must name a full version (or the image a digest). */
const EXACT_TAG = /^v?\d+\.\d+\.\d+(?:[-.][A-Za-z0-9.-]+)?$/;
const imageTag = (image: string) => /:([^/@]+)$/.exec(image.split('@')[0]!)?.[1];
const isNodeImage = (image: string) => /^(?:docker\.io\/)?(?:library\/)?node:/.test(image);
const isNginxImage = (image: string) => /^(?:docker\.io\/)?(?:nginx|nginxinc\/nginx-unprivileged):/.test(image);
const runs = (stage: Stage, pattern: RegExp) =>
  instructions(stage, 'RUN').some((run) => pattern.test(argumentsText(run)));
const NPM_INSTALL = /\bnpm (ci|install|i)\b/;
/** The image a stage starts from, through the earlier stages it builds on. */
const baseImageOf = (stage: Stage) => lineage(stage).at(-1)!.from;

/** The install rule of each kind of BUILDS: its test's name and its check. */
const INSTALL_RULES = {
  npm: {
    name: 'builds in stages and installs with `npm ci` from the lockfile, never `npm install`',
    check(dockerfile: Dockerfile) {
      const { file, stages } = dockerfile;
      expect(stages.length, `${file}: stages`).toBeGreaterThan(1);
      expect(
        stages.some((stage) => runs(stage, /\bnpm ci\b/)),
        `${file}: npm ci`,
      ).toBe(true);
      for (const stage of stages) {
        expect(runs(stage, /\bnpm (install|i)\b/), `${file}: npm install in ${stage.name}`).toBe(false);
        const copied = lineage(stage).flatMap((s) => instructions(s, 'COPY').map(argumentsText));
        const lockfile = !runs(stage, /\bnpm ci\b/) || copied.some((args) => args.includes('package-lock.json'));
        expect(lockfile, `${file}: lockfile before npm ci in ${stage.name}`).toBe(true);
      }
    },
  },
  copy: {
    name: 'installs nothing with npm: it copies its files in',
    check(dockerfile: Dockerfile) {
      for (const stage of dockerfile.stages) {
        expect(runs(stage, NPM_INSTALL), `${dockerfile.file}: npm in ${stage.name}`).toBe(false);
      }
    },
  },
};

/** What each runtime of IMAGES may ship: its test's name and its check of the target stage. */
const RUNTIME_RULES = {
  node: {
    name: 'ships production dependencies only',
    check(dockerfile: Dockerfile, stage: Stage, label: string) {
      // Its node_modules come from a stage whose install omitted dev dependencies.
      const fromStage = instructions(stage, 'COPY')
        .filter((copy) => /\bnode_modules\b/.test(argumentsText(copy)))
        .map((copy) => flagsOf(copy).from)
        .find((name) => name !== undefined);
      expect(fromStage, `${label}: node_modules copied from a stage`).toBeDefined();
      const deps = dockerfile.stages.find((s) => s.name === fromStage)!;
      expect(runs(deps, /\bnpm ci\b.*--omit=dev/), `${label}: stage ${fromStage} runs npm ci --omit=dev`).toBe(true);
      expect(runs(stage, NPM_INSTALL), `${label} installs nothing itself`).toBe(false);
    },
  },
  nginx: {
    name: 'ships no node_modules and installs nothing (nginx serves files)',
    check(_dockerfile: Dockerfile, stage: Stage, label: string) {
      for (const s of lineage(stage)) {
        const copies = instructions(s, 'COPY').map(argumentsText);
        expect(
          copies.filter((args) => /\bnode_modules\b/.test(args)),
          label,
        ).toEqual([]);
        expect(runs(s, NPM_INSTALL), `${label}: npm in ${s.name}`).toBe(false);
      }
    },
  },
};

describe.each(DOCKERFILES)('%s', (file) => {
  const dockerfile = readDockerfile(file);
  const targets = Object.entries(IMAGES).filter(([, image]) => image.dockerfile === file);
  const builds = BUILDS[file];

  it('passes the Dockerfile linter (dockerfile-utils, every rule an error)', () => {
    const problems = validate(dockerfile.text, STRICT).map((d) => `${file}:${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('pins every base image to an exact version (or a digest), never latest', () => {
    for (const image of baseImages(dockerfile)) {
      const pinned = image.includes('@sha256:') || EXACT_TAG.test(imageTag(image) ?? '');
      expect(pinned, `${file}: FROM ${image}`).toBe(true);
    }
  });

  it('copies only paths that exist in its build context', () => {
    const context = [...targets.map(([, image]) => image.context)][0]!;
    for (const stage of dockerfile.stages) {
      for (const copy of [...instructions(stage, 'COPY'), ...instructions(stage, 'ADD')]) {
        // Sources of COPY --from are in another stage, not in the context.
        if (flagsOf(copy).from !== undefined) continue;
        const sources = copy
          .getArguments()
          .map((arg) => arg.getValue())
          .slice(0, -1);
        for (const source of sources) {
          expect(existsSync(path.join(REPO_ROOT, context, source)), `${file}: COPY ${source}`).toBe(true);
        }
      }
    }
  });

  it('never bakes a secret into the image (no credential ENV or ARG, no .env copied)', () => {
    for (const stage of dockerfile.stages) {
      for (const instruction of [...instructions(stage, 'ENV'), ...instructions(stage, 'ARG')]) {
        expect(argumentsText(instruction), `${file}: ${instruction.getKeyword()}`).not.toMatch(
          /(PASSWORD|SECRET|TOKEN|ACCESS_KEY|DATABASE_URL|REDIS_URL)\b/i,
        );
      }
      for (const copy of instructions(stage, 'COPY')) {
        expect(argumentsText(copy), `${file}: COPY`).not.toMatch(/(^|\s|\/)\.env\b/);
      }
    }
  });

  it(builds ? INSTALL_RULES[builds].name : 'is listed in BUILDS', () => {
    expect(builds, `${file}: add it to BUILDS in this file, saying how it builds`).toBeDefined();
    INSTALL_RULES[builds!].check(dockerfile);
  });

  describe.each(targets)('target of %s', (service, image) => {
    const stage = targetStage(dockerfile, image.target);
    const label = `${file} (${service})`;

    it('runs as a non-root user', () => {
      const user = effective(stage, 'USER');
      expect(user, `${label}: no USER, so root`).toBeDefined();
      expect(argumentsText(user!).split(':')[0]).not.toMatch(/^(root|0)$/);
    });

    it(`starts from a base image of its runtime (${image.runtime})`, () => {
      const isRuntime = image.runtime === 'node' ? isNodeImage : isNginxImage;
      expect(isRuntime(baseImageOf(stage)), `${label}: FROM ${baseImageOf(stage)}`).toBe(true);
    });

    const serves = image.lifetime === 'serves';
    it(
      serves
        ? 'has a HEALTHCHECK (it serves until stopped)'
        : 'has no HEALTHCHECK (it runs once and exits: what waits for it waits for its exit)',
      () => {
        expect(healthcheckOf(stage) !== null, `${label}: HEALTHCHECK for lifetime ${image.lifetime}`).toBe(serves);
      },
    );

    it(RUNTIME_RULES[image.runtime].name, () => {
      RUNTIME_RULES[image.runtime].check(dockerfile, stage, label);
    });
  });
});

describe('images and the local stack', () => {
  const nodeImages = DOCKERFILES.flatMap((file) => baseImages(readDockerfile(file))).filter(isNodeImage);

  it('use one Node version, an LTS line that satisfies package.json engines', () => {
    expect(new Set(nodeImages).size, nodeImages.join(', ')).toBe(1);
    const [major, minor] = imageTag(nodeImages[0]!)!.split('.').map(Number) as [number, number];
    const [minMajor, minMinor] = enginesNodeMinimum();
    expect(major % 2, 'even Node majors are the LTS lines').toBe(0);
    expect(major > minMajor || (major === minMajor && minor >= minMinor), `node ${major}.${minor}`).toBe(true);
  });

  it('start the gateway and the worker with the very commands the local stack runs', () => {
    const { api, worker } = localStackEntries();
    // The worker's flags as well (WORKER_COMMAND says why it has them).
    expect(WORKER_COMMAND.at(-1)).toBe(worker);
    const commands = { api: [api], worker: [...WORKER_COMMAND] };
    for (const service of ['api', 'worker'] as const) {
      const image = IMAGES[service];
      const cmd = cmdOf(targetStage(readDockerfile(image.dockerfile), image.target));
      expect(cmd, service).toEqual({ form: 'exec', argv: ['node', ...commands[service]] });
    }
  });

  it('expose the ports nginx and the contract expect (gateway 5000, web 3000, nginx 80)', () => {
    const exposed = (service: keyof typeof IMAGES) => {
      const image = IMAGES[service];
      return effective(targetStage(readDockerfile(image.dockerfile), image.target), 'EXPOSE')
        ?.getArguments()
        .map((arg) => Number(arg.getValue().split('/')[0]));
    };
    expect(exposed('api')).toEqual([5000]);
    expect(exposed('web')).toEqual([nginxListenPort('web/nginx.conf')]);
    expect(exposed('nginx')).toEqual([nginxListenPort('nginx/default.conf')]);
  });

  it("ship the worker's GMP addon where worker/src/decimal.ts loads it, built and checked in an earlier stage", () => {
    const dockerfile = readDockerfile(IMAGES.worker.dockerfile);
    const runtime = targetStage(dockerfile, IMAGES.worker.target);
    const copy = instructions(runtime, 'COPY').find((c) => /decimal\.node/.test(argumentsText(c)));
    expect(copy, `${dockerfile.file}: the runtime stage copies decimal.node`).toBeDefined();
    // decimal.ts loads ../build/Release/decimal.node from worker/dist.
    expect(argumentsText(copy!).split(/\s+/).at(-1)).toBe('worker/build/Release/decimal.node');
    const from = dockerfile.stages.find((stage) => stage.name === flagsOf(copy!).from);
    expect(from, `${dockerfile.file}: decimal.node comes from a stage`).toBeDefined();
    // Its build script succeeds without GMP (the worker then falls back to V8): the image must not.
    expect(runs(from!, /apt-get install\b.*\blibgmp-dev\b/), 'libgmp-dev installed').toBe(true);
    expect(runs(from!, /\btest -f worker\/build\/Release\/decimal\.node\b/), 'the build is checked').toBe(true);
  });

  it('keep local state, installs and secrets out of the build context (.dockerignore)', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['**/node_modules', '**/dist', '.git', '.data', '.env', '.env.*']) {
      expect(ignored, `.dockerignore: ${entry}`).toContain(entry);
    }
  });
});
