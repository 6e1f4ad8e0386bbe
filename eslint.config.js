import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/__generated__/**',
      'web/src/gql/**',
      'e2e/artifacts/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // CLI scripts, tests and the worker's install script talk to a person on the terminal.
    files: [
      'scripts/**',
      'packages/devstack/**',
      'packages/prisma-offline/**',
      'e2e/**',
      '**/*.test.ts',
      'worker/native/build.mjs',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // The client runs in a browser; web/'s config files and web/nginx.test.ts run in Node.
    files: ['web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Hooks called conditionally or with stale dependencies break silently; React's own rules catch them.
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // The web client's rooms (bulletproof-react's zones): a feature uses no other feature; lib/ and
    // components/ know no feature and not the app; features do not reach into the app. Tests may
    // put features together.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/**/*.test.{ts,tsx}', 'web/src/test/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'web/tsconfig.json' })] },
    rules: {
      'import-x/no-unresolved': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...['calculations', 'connection', 'history', 'submit'].map((feature) => ({
              target: `./web/src/features/${feature}`,
              from: './web/src/features',
              except: [`./${feature}`],
              message: 'A feature uses no other feature: share through lib/ or components/.',
            })),
            {
              target: ['./web/src/lib', './web/src/components'],
              from: ['./web/src/features', './web/src/app'],
              message: 'lib/ and components/ know no feature and not the app.',
            },
            { target: './web/src/features', from: './web/src/app', message: 'Features do not reach into the app.' },
          ],
        },
      ],
    },
  },
  prettier,
);
