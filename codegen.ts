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
    // Typed documents for the web client: operations and fragments written with graphql() beside
    // the code that uses them; fragment data is unmasked with getFragmentData (not Apollo's
    // useFragment hook, hence the rename).
    'web/src/gql/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**', '!web/src/playground/**', '!web/src/**/*.test.{ts,tsx}'],
      preset: 'client',
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
      config: {
        useTypeImports: true,
        enumType: 'string-literal',
        defaultScalarType: 'unknown',
        // Apollo Client adds __typename to every selection, but not to root types.
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
        avoidOptionals: { field: true, inputValue: false },
      },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
};

export default config;
