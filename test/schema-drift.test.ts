// schema.graphql is committed for reviewers and clients; it must be what the code serves.
import fs from 'node:fs/promises';
import path from 'node:path';
import { printSchema } from 'graphql';
import { expect, it } from 'vitest';
import { printableSchema } from '../src/schema/index.ts';

it('the committed schema.graphql matches the schema in code (run `npm run codegen` after a change)', async () => {
  const committed = await fs.readFile(path.resolve(import.meta.dirname, '../schema.graphql'), 'utf8');

  expect(committed.trim()).toBe(printSchema(printableSchema()).trim());
});
