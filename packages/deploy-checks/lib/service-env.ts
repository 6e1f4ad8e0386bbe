import { vi } from 'vitest';
import { loadConfig as loadGatewayConfig } from '../../../gateway/src/config.js';
import { loadConfig as loadWorkerConfig } from '../../../worker/src/config.js';

/**
 * The config module of each service that has one, keyed by its compose service and EB container
 * name. Each parses process.env with zod, so the env names, which ones are required and what
 * values are valid are read from the module itself rather than repeated here.
 */
export const CONFIG_MODULES = {
  api: loadGatewayConfig,
  worker: loadWorkerConfig,
} as const;

export type ConfiguredService = keyof typeof CONFIG_MODULES;

export interface ConfigOutcome {
  /** The typed config, when the module accepted the env. */
  config?: Record<string, unknown>;
  /** `NAME: message` for every problem the module reported (it would have exited). */
  problems: string[];
  /** Every env name the module looked at: the names it knows. */
  namesRead: Set<string>;
}

class ExitCalled extends Error {}

/**
 * Runs a service's config loader on `env` the way the service would at start, without letting
 * it exit the test process: the problems it prints are collected instead.
 */
export function loadServiceConfig(service: ConfiguredService, env: Record<string, string>): ConfigOutcome {
  const namesRead = new Set<string>();
  const watched = new Proxy(
    { ...env },
    {
      get(target, key, receiver) {
        if (typeof key === 'string') namesRead.add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
      has(target, key) {
        if (typeof key === 'string') namesRead.add(key);
        return Reflect.has(target, key);
      },
    },
  );
  let printed = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
    throw new ExitCalled();
  });
  try {
    return { config: CONFIG_MODULES[service](watched), problems: [], namesRead };
  } catch (error) {
    if (!(error instanceof ExitCalled)) throw error;
    const problems = printed
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4));
    return { problems, namesRead };
  } finally {
    write.mockRestore();
    exit.mockRestore();
  }
}

/** Env names a service cannot start without: what its config module reports for an empty env. */
export function requiredEnvNames(service: ConfiguredService): string[] {
  return loadServiceConfig(service, {}).problems.map((problem) => problem.split(':')[0]!);
}
