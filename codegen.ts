// GraphQL Code Generator: prints schema.graphql from the Pothos schema (committed) and
// typed documents for the operations the tests use (test/generated/, not committed).
// CODEGEN_DOCUMENTS_ONLY=1 skips schema.graphql, so `npm test` can check it for drift instead.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { printableSchema } from './src/schema/index.ts';

const sdl = printSchema(printableSchema());
const documentsOnly = process.env.CODEGEN_DOCUMENTS_ONLY === '1';

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  generates: {
    ...(documentsOnly ? {} : { 'schema.graphql': { schema: sdl, plugins: ['schema-ast'] } }),
    'test/generated/': {
      schema: sdl,
      documents: ['test/**/*.ts', '!test/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string' },
        strictScalars: true,
        importExtension: '.ts',
      },
    },
  },
};

export default config;
