// `npm run db:migration -- <name>`: writes the SQL that takes prisma/migrations to prisma/schema.prisma.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defaultMigrationsDir, projectRoot } from '../src/db/migrations.ts';
import { diffMigrationsToSchema, migrationLockfileContent } from '../src/db/schema-engine.ts';

// The folder name lands in _prisma_migrations.migration_name, a varchar(255).
const namePattern = /^[a-z0-9_]{1,240}$/;

/** UTC `YYYYMMDDHHMMSS`, as Prisma names migration folders. */
const migrationTimestamp = (now: Date): string => now.toISOString().replace(/\D/g, '').slice(0, 14);

async function main(args: string[]): Promise<void> {
  const [name, ...extra] = args;
  if (name === undefined || extra.length > 0) throw new Error('usage: npm run db:migration -- <name>');
  if (!namePattern.test(name)) throw new Error(`invalid name "${name}": use lowercase letters, digits and underscores`);

  const migrationsDir = defaultMigrationsDir();
  const pglite = await PGlite.create();
  let script: string;
  try {
    script = await diffMigrationsToSchema(new PrismaPGlite(pglite), migrationsDir, path.join(projectRoot(), 'prisma', 'schema.prisma'));
  } finally {
    await pglite.close();
  }
  if (script.trim() === '') {
    console.log('No schema changes: nothing to write.');
    return;
  }

  const folder = path.join(migrationsDir, `${migrationTimestamp(new Date())}_${name}`);
  await fs.mkdir(migrationsDir, { recursive: true });
  await fs.mkdir(folder);
  await fs.writeFile(path.join(folder, 'migration.sql'), script);
  await fs.writeFile(path.join(migrationsDir, 'migration_lock.toml'), migrationLockfileContent);
  console.log(`Wrote ${path.relative(process.cwd(), path.join(folder, 'migration.sql'))}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`db:migration: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exitCode = 1;
});
