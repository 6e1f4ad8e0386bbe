import type { CodegenConfig } from '@graphql-codegen/cli';

// One config, one target per consumer. The gateway's SDL files are the source of truth.
const config: CodegenConfig = {
  schema: 'gateway/schema/*.graphql',
  generates: {
    'gateway/src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.js#GatewayContext',
        mappers: {
          Calculation: '../models.js#CalculationModel',
          Submission: '../models.js#SubmissionModel',
        },
      },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
};

export default config;
