// The migration runner on in-memory PGlite and (with TEST_DATABASE_URL) a fresh PostgreSQL database,
// and the check that prisma/migrations matches prisma/schema.prisma.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import {
  type HistoryRow,
  MigrationError,
  checksumOf,
  defaultMigrationsDir,
  migrationStatus,
  planMigrations,
  projectRoot,
  readMigrations,
  runMigrations,
} from '../../src/db/migrations.ts';
import { diffMigrationsToSchema } from '../../src/db/schema-engine.ts';

// PGlite takes seconds to start on a busy machine.
const slow = 60_000;
const committedDir = defaultMigrationsDir();
const schemaPath = path.join(projectRoot(), 'prisma', 'schema.prisma');
const postgresUrl = process.env.TEST_DATABASE_URL;

interface Target {
  name: 'pglite' | 'postgres';
  /** A new empty database; the same `key` opens another handle on the same one. */
  open(key?: string): Promise<Database>;
  cleanUp(): Promise<void>;
}

function pgliteTarget(): Target {
  let template: Promise<Blob> | undefined;
  const opened: Database[] = [];
  return {
    name: 'pglite',
    async open() {
      // Loading a dump of an empty database is several times faster than a fresh initdb.
      template ??= PGlite.create().then(async (pglite) => {
        const dump = await pglite.dumpDataDir('none');
        await pglite.close();
        return dump;
      });
      const db = await openDatabase({ kind: 'pglite', loadDataDir: await template });
      opened.push(db);
      return db;
    },
    async cleanUp() {
      await Promise.all(opened.map((db) => db.close()));
    },
  };
}

function postgresTarget(serverUrl: string): Target {
  const databases = new Map<string, string>();
  const opened: Database[] = [];
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async open(key = randomUUID()) {
      let name = databases.get(key);
      if (!name) {
        name = `gateway_migrations_${randomUUID().replaceAll('-', '')}`;
        await admin(`CREATE DATABASE "${name}"`);
        databases.set(key, name);
      }
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const db = await openDatabase({ kind: 'postgres', url: url.toString() });
      opened.push(db);
      return db;
    },
    async cleanUp() {
      await Promise.all(opened.map((db) => db.close()));
      for (const name of databases.values()) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

const targets = [pgliteTarget(), ...(postgresUrl ? [postgresTarget(postgresUrl)] : [])];

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gateway-migrations-'));
  temporaryDirs.push(dir);
  return dir;
}
async function copyOfCommittedMigrations(): Promise<string> {
  const dir = path.join(await temporaryDir(), 'migrations');
  await fs.cp(committedDir, dir, { recursive: true });
  return dir;
}
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

const tableExists = async (db: Database, table: string) =>
  (await db.sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`"${table}"`]))[0]?.found;

const historyOf = (db: Database) =>
  db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );

describe.each(targets)('migration runner on $name', (target) => {
  afterAll(() => target.cleanUp(), slow);

  it('applies every migration with its checksum, then nothing on a second run', async () => {
    // given
    const committed = await readMigrations(committedDir);
    const db = await target.open();

    // when
    const first = await runMigrations(db);
    const second = await runMigrations(db);

    // then
    expect(committed.length).toBeGreaterThan(0);
    expect(first.applied).toEqual(committed.map((migration) => migration.name));
    expect(second.applied).toEqual([]);
    expect(await tableExists(db, 'Merchant')).toBe(true);
    expect(await db.prisma.merchant.count()).toBe(0);
    const history = await historyOf(db);
    expect(history.map((row) => [row.migration_name, row.checksum])).toEqual(
      committed.map((migration) => [migration.name, checksumOf(migration.sql)]),
    );
    expect(history.every((row) => row.finished_at instanceof Date)).toBe(true);
    expect(await migrationStatus(db)).toEqual({ applied: first.applied, pending: [] });
  }, slow);

  it('refuses to run when an applied migration was changed', async () => {
    // given
    const dir = await copyOfCommittedMigrations();
    const db = await target.open();
    const [first] = await readMigrations(dir);
    await runMigrations(db, dir);

    // when
    await fs.appendFile(path.join(dir, first!.name, 'migration.sql'), '\n-- edited afterwards\n');

    // then
    const changed = `migration ${first!.name} was changed after it was applied`;
    await expect(runMigrations(db, dir)).rejects.toThrow(new MigrationError(changed));
    await expect(migrationStatus(db, dir)).rejects.toThrow(changed);
  }, slow);

  it('rolls a failing migration back completely, and applies it once fixed', async () => {
    // given
    const dir = await copyOfCommittedMigrations();
    const broken = path.join(dir, '99999999999999_broken', 'migration.sql');
    await fs.mkdir(path.dirname(broken));
    await fs.writeFile(broken, 'CREATE TABLE "HalfDone" ("id" INTEGER);\nSELECT 1 / 0;\n');
    const db = await target.open();

    // when
    const run = runMigrations(db, dir);

    // then
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/migration 99999999999999_broken failed .*division by zero/);
    expect(await tableExists(db, 'HalfDone')).toBe(false);
    expect((await historyOf(db)).map((row) => row.migration_name)).not.toContain('99999999999999_broken');
    expect((await migrationStatus(db, dir)).pending).toEqual(['99999999999999_broken']);

    // when fixed
    await fs.writeFile(broken, 'CREATE TABLE "HalfDone" ("id" INTEGER);\n');

    // then
    expect(await runMigrations(db, dir)).toEqual({ applied: ['99999999999999_broken'] });
    expect(await tableExists(db, 'HalfDone')).toBe(true);
  }, slow);

  it.runIf(target.name === 'postgres')('applies once when two instances start together', async () => {
    // given
    const committed = await readMigrations(committedDir);
    const first = await target.open('shared');
    const second = await target.open('shared');

    // when
    const results = await Promise.all([runMigrations(first), runMigrations(second)]);

    // then
    expect(results.flatMap((result) => result.applied)).toEqual(committed.map((migration) => migration.name));
    expect(await historyOf(first)).toHaveLength(committed.length);
  }, slow);
});

describe('migrations folder against prisma/schema.prisma', () => {
  const pglite = pgliteTarget();
  let db: Database;
  beforeAll(async () => {
    db = await pglite.open();
  }, slow);
  afterAll(() => pglite.cleanUp(), slow);

  it('has a migration for every schema change', async () => {
    expect(await diffMigrationsToSchema(db.adapterFactory, committedDir, schemaPath)).toBe('');
  }, slow);

  it('notices a schema changed without a migration', async () => {
    // given
    const changedSchema = path.join(await temporaryDir(), 'schema.prisma');
    const schema = await fs.readFile(schemaPath, 'utf8');
    await fs.writeFile(changedSchema, `${schema}\nmodel DriftProbe {\n  id String @id\n}\n`);

    // when
    const script = await diffMigrationsToSchema(db.adapterFactory, committedDir, changedSchema);

    // then
    expect(script).toContain('CREATE TABLE "DriftProbe"');
  }, slow);
});

describe('planMigrations', () => {
  const file = (name: string, sql = `-- ${name}`) => ({ name, sql, checksum: checksumOf(sql) });
  const row = (name: string, overrides: Partial<HistoryRow> = {}): HistoryRow => ({
    migration_name: name,
    checksum: checksumOf(`-- ${name}`),
    finished_at: new Date(),
    rolled_back_at: null,
    ...overrides,
  });

  it('splits applied from pending, in folder order', () => {
    const plan = planMigrations([file('1_a'), file('2_b'), file('3_c')], [row('2_b')]);
    expect(plan.applied).toEqual(['2_b']);
    expect(plan.pending.map((migration) => migration.name)).toEqual(['1_a', '3_c']);
  });

  it('retries a migration that was rolled back', () => {
    const plan = planMigrations([file('1_a')], [row('1_a', { finished_at: null, rolled_back_at: new Date() })]);
    expect(plan.pending.map((migration) => migration.name)).toEqual(['1_a']);
  });

  it('rejects an applied migration missing from the folder', () => {
    expect(() => planMigrations([file('1_a')], [row('1_a'), row('2_gone')])).toThrow(
      'migration 2_gone was applied but is missing from the migrations folder',
    );
  });

  it('rejects a migration that failed earlier', () => {
    expect(() => planMigrations([file('1_a')], [row('1_a', { finished_at: null })])).toThrow(
      /migration 1_a failed earlier/,
    );
  });

  it('rejects a changed migration', () => {
    expect(() => planMigrations([file('1_a', 'CREATE TABLE a ();')], [row('1_a')])).toThrow(
      'migration 1_a was changed after it was applied',
    );
  });
});
