import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { REPO_ROOT } from './project.js';

/** One `FROM ... [AS name]` and the instructions up to the next FROM. */
export interface Stage {
  name: string | null;
  /** The FROM argument as written: an image reference, or the name of an earlier stage. */
  from: string;
  /** The earlier stage this one builds on, or null when it starts from an image. */
  parent: Stage | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Repository-relative path. */
  file: string;
  text: string;
  stages: Stage[];
}

/** Parses a Dockerfile with dockerfile-ast (the parser behind the Dockerfile language server). */
export function readDockerfile(file: string): Dockerfile {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [from = '', as, name] = instruction.getArguments().map((arg) => arg.getValue());
      const parent = stages.find((stage) => stage.name !== null && stage.name === from) ?? null;
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, from, parent, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { file, text, stages };
}

/** The stage `docker build --target <target>` builds; the last stage without a target. */
export function targetStage(dockerfile: Dockerfile, target?: string): Stage {
  const stage = target ? dockerfile.stages.find((s) => s.name === target) : dockerfile.stages.at(-1);
  if (!stage) throw new Error(`${dockerfile.file} has no stage ${target ?? '(none at all)'}`);
  return stage;
}

/** FROM images that are not earlier stages: what the build pulls. */
export function baseImages(dockerfile: Dockerfile): string[] {
  return dockerfile.stages.filter((stage) => stage.parent === null).map((stage) => stage.from);
}

/** `stage` and the stages it builds on, nearest first. */
export function lineage(stage: Stage): Stage[] {
  return stage.parent ? [stage, ...lineage(stage.parent)] : [stage];
}

/** The last `keyword` instruction in effect for `stage`, inherited from parent stages too. */
export function effective(stage: Stage, keyword: string): Instruction | undefined {
  for (const s of lineage(stage)) {
    const found = s.instructions.filter((i) => i.getKeyword() === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** `--name=value` options of an instruction (COPY --from, HEALTHCHECK --interval, ...). */
export function flagsOf(instruction: Instruction): Record<string, string> {
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  return Object.fromEntries((withFlags.getFlags?.() ?? []).map((flag) => [flag.getName(), flag.getValue() ?? '']));
}

/** Arguments as the builder sees them (options excluded): line continuations joined, whitespace collapsed. */
export function argumentsText(instruction: Instruction): string {
  return (instruction.getArgumentsContent() ?? '')
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A CMD, ENTRYPOINT or HEALTHCHECK command: exec form as its argv, shell form through /bin/sh. */
export interface Command {
  form: 'exec' | 'shell';
  argv: string[];
}

function commandOf(text: string): Command {
  if (text.startsWith('[')) return { form: 'exec', argv: JSON.parse(text) as string[] };
  return { form: 'shell', argv: ['/bin/sh', '-c', text] };
}

export function cmdOf(stage: Stage): Command | undefined {
  const cmd = effective(stage, 'CMD');
  return cmd ? commandOf(argumentsText(cmd)) : undefined;
}

/** The HEALTHCHECK in effect for `stage`: its options and command, or null for `HEALTHCHECK NONE`/none. */
export function healthcheckOf(stage: Stage): { options: Record<string, string>; command: Command } | null {
  const healthcheck = effective(stage, 'HEALTHCHECK');
  if (!healthcheck) return null;
  const match = /^CMD\s+(.+)$/s.exec(argumentsText(healthcheck));
  if (!match) return null;
  return { options: flagsOf(healthcheck), command: commandOf(match[1]!.trim()) };
}
