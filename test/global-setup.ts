// Runs once per `vitest run`: builds the migrated templates every test file clones.
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplate, buildPostgresTemplate } from './helpers/template.ts';

export default async function setup(project: TestProject): Promise<void> {
  project.provide('pgliteTemplate', await buildPgliteTemplate());
  const serverUrl = process.env.TEST_DATABASE_URL;
  project.provide('postgresTemplate', serverUrl ? await buildPostgresTemplate(serverUrl) : null);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}
