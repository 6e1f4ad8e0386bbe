import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/artifacts/**'];
// Tests run the TypeScript sources of the shared package, not a possibly stale build.
const core = { '@fibgraph/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: core },
        test: {
          name: 'node',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...exclude, 'web/src/**', 'e2e/**'],
          globalSetup: ['packages/devstack/src/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        // The web client's component tests: a DOM, the client's own Vite config (React), no services.
        extends: './web/vite.config.ts',
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          exclude,
          environment: 'jsdom',
          setupFiles: ['web/src/test/setup.ts'],
        },
      },
      {
        // Chromium against one local stack through nginx (docs/e2e.md), started once for all files by
        // e2e/global-setup.ts. Files run one at a time, after the other projects: they share that
        // stack, and a test that kills a gateway must not run beside one that needs it.
        resolve: { alias: core },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude,
          globalSetup: ['packages/devstack/src/test/global-setup.ts', 'e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
