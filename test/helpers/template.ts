// Builds one migrated database per test run, for every test file to clone.
// PGlite: a data-dir tarball in the OS temp dir. PostgreSQL: a template database.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { defaultMigrationsDir, readMigrations, runMigrations } from '../../src/db/migrations.ts';

/** Changes whenever a migration does, so a stale template is never reused. */
export async function migrationsFingerprint(): Promise<string> {
  const files = await readMigrations(defaultMigrationsDir());
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.name}:${file.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

export async function buildPgliteTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `fulfillment-gateway-template-${await migrationsFingerprint()}.tar.gz`);
  if (await exists(file)) return file;
  const db = await openDatabase({ kind: 'pglite' });
  try {
    await runMigrations(db);
    const dump = await db.pglite!.dumpDataDir('gzip');
    const partial = `${file}.${process.pid}.partial`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, file);
  } finally {
    await db.close();
  }
  return file;
}

export function templateDatabaseName(fingerprint: string): string {
  return `fg_template_${fingerprint}`;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates (once) a migrated template database on the server at `serverUrl`. */
export async function buildPostgresTemplate(serverUrl: string): Promise<string> {
  const name = templateDatabaseName(await migrationsFingerprint());
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'fg\\_template\\_%' AND datname <> $1",
      [name],
    );
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return name;
    const building = `${name}_building_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const db = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, building), poolSize: 2 });
    try {
      await runMigrations(db);
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await admin.end();
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
