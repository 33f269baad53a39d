// Opens the database: embedded PGlite (default) or a PostgreSQL server, behind one Prisma client.
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { countStatements, type StatementCounter } from './statement-counter.ts';

/** Raw SQL on the same database, for migrations, locks and bulk statements. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
}

export interface SqlDriver extends SqlSession {
  /** Runs `work` on one connection inside BEGIN … COMMIT (ROLLBACK on error). */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one connection holding a session-level advisory lock. */
  withAdvisoryLock<T>(key: bigint, work: (session: SqlSession) => Promise<T>): Promise<T>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  sql: SqlDriver;
  /** The driver adapter factory, for the schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** SQL statements Prisma has sent so far (tests and benchmarks assert on differences). */
  statements: StatementCounter;
  /** The embedded database itself (PGlite only), e.g. to dump it as a test template. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** `dataDir` is a folder, or undefined for an in-memory database. */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres' ? openPostgres(options.url, options.poolSize) : openPglite(options);
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const adapterFactory = new PrismaPGlite(pglite);
  const counted = countStatements(adapterFactory);
  const prisma = new PrismaClient({ adapter: counted.factory });
  const session: SqlSession = {
    query: async (text, params) => (await pglite.query<never>(text, params)).rows,
    exec: async (script) => void (await pglite.exec(script)),
  };
  const sql: SqlDriver = {
    ...session,
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async (text, params) => (await tx.query<never>(text, params)).rows,
          exec: async (script) => void (await tx.exec(script)),
        }),
      ),
    // One process owns a PGlite folder, so there is no other instance to exclude.
    withAdvisoryLock: (_key, work) => work(session),
  };
  return {
    kind: 'pglite',
    prisma,
    sql,
    adapterFactory,
    statements: counted.counter,
    pglite,
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const adapterFactory = new PrismaPg(pool);
  const counted = countStatements(adapterFactory);
  const prisma = new PrismaClient({ adapter: counted.factory });
  const sessionOf = (client: pg.PoolClient | pg.Pool): SqlSession => ({
    query: async (text, params) => (await client.query(text, params)).rows,
    exec: async (script) => void (await client.query(script)),
  });
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  const sql: SqlDriver = {
    ...sessionOf(pool),
    transaction: (work) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(sessionOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }),
    withAdvisoryLock: (key, work) =>
      withClient(async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
        try {
          return await work(sessionOf(client));
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
        }
      }),
  };
  return {
    kind: 'postgres',
    prisma,
    sql,
    adapterFactory,
    statements: counted.counter,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
