import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/artifacts/**'];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: {
          // Tests run the TypeScript sources of the shared package, not a possibly stale build.
          alias: { '@fibgraph/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
        },
        test: {
          name: 'node',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...exclude, 'web/**'],
          globalSetup: ['scripts/test/global-setup.ts'],
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
    ],
  },
});
