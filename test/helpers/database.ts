// A fresh, isolated, migrated database for one test file: PGlite in memory by default,
// a new PostgreSQL database (cloned from the template) when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { databaseUrl } from './template.ts';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

export async function createTestDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const tarball = await fs.readFile(inject('pgliteTemplate'));
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([tarball]) });
  }
  const { url, drop } = await createPostgresDatabase(serverUrl, { migrated: true });
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
  return {
    ...db,
    async close() {
      await db.close();
      await drop();
    },
  };
}

/** A new database on the server at `serverUrl`: migrated (from the template) or empty. */
export async function createPostgresDatabase(
  serverUrl: string,
  options: { migrated: boolean },
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fg_test_${randomBytes(6).toString('hex')}`;
  const template = inject('postgresTemplate');
  await withAdmin(serverUrl, async (admin) => {
    if (!options.migrated) return void (await admin.query(`CREATE DATABASE "${name}"`));
    if (!template) throw new Error('global setup built no PostgreSQL template');
    await createFromTemplate(admin, name, template);
  });
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => withAdmin(serverUrl, async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  // Two files cloning at the same instant may find the template busy; it frees in milliseconds.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
