// Applies prisma/migrations at start-up: one transaction per migration, checksums enforced.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlSession } from './database.ts';

/** The key `prisma migrate` locks too, so our runner and the CLI exclude each other. */
const migrationLockKey = 72707369n;

const createHistoryTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationPlan {
  applied: string[];
  pending: MigrationFile[];
}

/** The folder holding package.json, found upwards from this module (works from src/ and dist/). */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const defaultMigrationsDir = (): string => path.join(projectRoot(), 'prisma', 'migrations');

/** Same checksum as Prisma's: SHA-256 of the script, hex. */
export const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/** `<dir>/<folder>/migration.sql`, sorted by folder name; none when the folder doesn't exist. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      const sql = await fs.readFile(file, 'utf8').catch(() => {
        throw new MigrationError(`migration ${name} has no readable ${file}`);
      });
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

/** Decides what to apply; throws when the history and the files disagree. */
export function planMigrations(files: MigrationFile[], history: HistoryRow[]): MigrationPlan {
  const live = history.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier (its _prisma_migrations row has no finished_at): ` +
        'repair the database by hand, then set rolled_back_at on that row to retry it',
    );
  }
  const filesByName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set(live.map((row) => row.migration_name));
  for (const row of live) {
    const file = filesByName.get(row.migration_name);
    if (!file) throw new MigrationError(`migration ${row.migration_name} was applied but is missing from the migrations folder`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`migration ${row.migration_name} was changed after it was applied`);
    }
  }
  return {
    applied: files.filter((file) => appliedNames.has(file.name)).map((file) => file.name),
    pending: files.filter((file) => !appliedNames.has(file.name)),
  };
}

async function readHistory(session: SqlSession): Promise<HistoryRow[]> {
  const [table] = await session.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`,
  );
  if (!table?.exists) return [];
  return session.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
}

/**
 * Applies the pending migrations of `dir`, each with its history row in one transaction.
 * Runs under an advisory lock: a second instance waits, then finds nothing to do.
 * On PostgreSQL it needs two pooled connections (the lock's and the transaction's).
 */
export async function runMigrations(
  db: Pick<Database, 'sql'>,
  dir = defaultMigrationsDir(),
): Promise<{ applied: string[] }> {
  const files = await readMigrations(dir);
  return db.sql.withAdvisoryLock(migrationLockKey, async (session) => {
    await session.exec(createHistoryTable);
    const { pending } = planMigrations(files, await readHistory(session));
    for (const migration of pending) await applyMigration(db, migration);
    return { applied: pending.map((migration) => migration.name) };
  });
}

async function applyMigration(db: Pick<Database, 'sql'>, migration: MigrationFile): Promise<void> {
  const startedAt = new Date();
  try {
    await db.sql.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, clock_timestamp(), 1)`,
        [randomUUID(), migration.checksum, migration.name, startedAt],
      );
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}

/** Applied and pending migrations, for readiness; throws MigrationError as `runMigrations` would. */
export async function migrationStatus(
  db: Pick<Database, 'sql'>,
  dir = defaultMigrationsDir(),
): Promise<{ applied: string[]; pending: string[] }> {
  const [files, history] = await Promise.all([readMigrations(dir), readHistory(db.sql)]);
  const plan = planMigrations(files, history);
  return { applied: plan.applied, pending: plan.pending.map((migration) => migration.name) };
}
