// Drives Prisma's wasm schema engine through a driver adapter, so migrations work offline.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { readMigrations } from './migrations.ts';

type EngineModule = typeof wasmBindings;

const noFilters = { externalTables: [], externalEnums: [] };
const lockfileName = 'migration_lock.toml';

const loaded = Symbol.for('fulfillment-gateway.schema-engine-wasm');
let lastPanicMessage: string | undefined;

/** Instantiates the wasm engine once per process (its bindings module is a process-wide singleton). */
export function loadSchemaEngine(): Promise<EngineModule> {
  const store = globalThis as { [loaded]?: Promise<EngineModule> };
  store[loaded] ??= instantiate();
  return store[loaded];
}

async function instantiate(): Promise<EngineModule> {
  // A panic inside an engine future surfaces as a bare `RuntimeError: unreachable`, often
  // outside any promise we await: print the message where the operator will see it.
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (message: string) => {
      lastPanicMessage = message;
      console.error(`schema engine panicked: ${message}`);
    },
  };
  const bindingsPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await fs.readFile(path.join(path.dirname(bindingsPath), 'schema_engine_bg.wasm'));
  const imports: Record<string, unknown> = { ...wasmBindings };
  for (const [name, setTimer] of Object.entries(wasmBindings)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    // The engine arms lock timeouts it never clears; unref'd, they don't keep Node alive.
    imports[name] = (...args: unknown[]) => {
      const timer = (setTimer as (...a: unknown[]) => unknown)(...args);
      (timer as { unref?: () => void }).unref?.();
      return timer;
    };
  }
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
  wasmBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return wasmBindings;
}

/**
 * Runs `work` with a fresh engine on `adapterFactory`; disposes every connection the engine
 * opened and turns `External error id#N` back into the database's own error.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: { path: string; content: string }[],
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngine();
  const opened: (() => Promise<void>)[] = [];
  const bound = bindMigrationAwareSqlAdapterFactory(trackConnections(adapterFactory, opened));
  let engine: SchemaEngine | undefined;
  lastPanicMessage = undefined;
  try {
    engine = await SchemaEngine.new({ datamodels: schemaFiles.map((file) => [file.path, file.content]) }, () => {}, bound);
    return await work(engine);
  } catch (error) {
    throw engineError(error, bound.errorRegistry);
  } finally {
    engine?.free();
    await Promise.allSettled(opened.map((dispose) => dispose()));
  }
}

function trackConnections(
  factory: SqlMigrationAwareDriverAdapterFactory,
  opened: (() => Promise<void>)[],
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(() => adapter.dispose());
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      const shadow = pgliteOf(adapter);
      if (!shadow) {
        opened.push(() => adapter.dispose());
        return adapter;
      }
      // pglite-prisma-adapter neither closes its in-memory shadow database nor awaits
      // executeScript, so a failing migration there would be an unhandled rejection.
      opened.push(async () => void (await shadow.close()));
      adapter.executeScript = async (script) => void (await shadow.exec(script));
      return adapter;
    },
  };
}

function pgliteOf(adapter: SqlDriverAdapter): PGlite | undefined {
  const client = (adapter as unknown as { client?: unknown }).client;
  return client instanceof PGlite ? client : undefined;
}

function engineError(error: unknown, registry: ErrorRegistry): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const externalId = /External error id#(\d+)/.exec(message)?.[1];
  const external = externalId === undefined ? undefined : registry.consumeError(Number(externalId));
  if (external) {
    // Keep the engine's headline (e.g. which migration failed on the shadow database).
    const detail = external.error instanceof Error ? external.error.message : String(external.error);
    const headline = message.split('\n')[0]?.trim() ?? '';
    const text = headline.includes('External error') ? headline.replace(/External error id#\d+/, detail) : `${headline} ${detail}`;
    return new Error(text.trim(), { cause: external.error });
  }
  if (error instanceof WebAssembly.RuntimeError && lastPanicMessage) {
    return new Error(`schema engine panicked: ${lastPanicMessage}`, { cause: error });
  }
  return error;
}

/** The migrations folder as the engine reads it. */
export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const lockfile = await fs.readFile(path.join(migrationsDir, lockfileName), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfileName, content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: (await readMigrations(migrationsDir)).map((migration) => ({
      path: migration.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.sql } },
    })),
  };
}

/** What Prisma writes to migration_lock.toml for this project. */
export const migrationLockfileContent =
  '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';

/**
 * SQL that brings a database built from `migrationsDir` up to `schemaPath`; '' when they
 * already match (so a non-empty result means "schema changed without a migration").
 * Use a PGlite factory: through adapter-pg the engine fails to describe the schema
 * ("Column type 'char' could not be deserialized").
 */
export async function diffMigrationsToSchema(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string,
  schemaPath: string,
): Promise<string> {
  const schema = { path: schemaPath, content: await fs.readFile(schemaPath, 'utf8') };
  const migrations = await readMigrationList(migrationsDir);
  // Before the first migration, diff from an empty list rather than { tag: 'empty' }: that
  // starts from a real database, which has the public schema, where 'empty' would emit
  // CREATE SCHEMA "public" (needing CREATE on the database). The engine wants a lockfile.
  if (migrations.migrationDirectories.length === 0) migrations.lockfile.content ??= migrationLockfileContent;
  const result = await withSchemaEngine(adapterFactory, [schema], (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrations },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: noFilters,
    }),
  );
  // With exitCode set, the engine answers 2 when there is something to migrate.
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}
