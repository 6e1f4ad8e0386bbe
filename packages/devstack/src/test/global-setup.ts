// The empty type import brings 'vitest' into the program, which the augmentation below requires.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { ensurePostgres } from '../postgres.js';
import { ensureRedisBinary } from '../redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of a Postgres the tests may create and drop databases in (see createTestDatabase). */
    pgAdminUrl: string;
  }
}

/**
 * Provisions what integration tests need once per run: a Postgres to create databases in, and the
 * redis-server binary (each test file starts its own private Redis, so they can restart it at will).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Installing packages can take a minute on a fresh machine; do it before any test starts its clock.
  ensureRedisBinary();
  const postgres = await ensurePostgres();
  project.provide('pgAdminUrl', postgres.adminUrl);
  return () => postgres.stop();
}
