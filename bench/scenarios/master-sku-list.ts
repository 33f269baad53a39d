// A page of 100 Master SKUs through the whole GraphQL stack (auth, Pothos, yoga), against
// the baseline of the same two SQL reads made directly through Prisma.
import { createApp } from '../../src/app.ts';
import { openDatabase } from '../../src/db/database.ts';
import { runMigrations } from '../../src/db/migrations.ts';
import { createLogger } from '../../src/logger.ts';
import { issueApiToken } from '../../src/services/auth.service.ts';
import { type Scenario, sideBySide } from './types.ts';
import { testProviderAccess } from '../../test/helpers/providers.ts';

const SKUS = 2_000;
const ITERATIONS = 150;
/** The GraphQL layer may cost at most this many times the bare reads it wraps. */
const MAX_RATIO = 4;
const QUERY = `query Page($after: String) {
  masterSkus(first: 100, after: $after, sortBy: { field: SKU, direction: ASC }) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { id sku name status barcode weightGrams createdAt } }
  }
}`;

export const masterSkuListScenario: Scenario = {
  name: 'master-sku-list',
  async run() {
    const db = await openDatabase({ kind: 'pglite' });
    try {
      await runMigrations(db);
      const merchant = await db.prisma.merchant.create({ data: { name: 'Bench' } });
      const token = await issueApiToken(db, { merchantId: merchant.id, role: 'OWNER', name: 'bench' });
      await db.prisma.masterSku.createMany({
        data: Array.from({ length: SKUS }, (_, i) => ({
          merchantId: merchant.id,
          sku: `SKU-${String(i).padStart(6, '0')}`,
          name: `Product ${i}`,
        })),
      });
      const log = createLogger({ level: 'silent' });
      const app = createApp({ db, log, providers: testProviderAccess(db, log) });

      const viaGraphql = async () => {
        const response = await app.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY }),
        });
        const body = (await response.json()) as { data?: { masterSkus: { edges: unknown[] } } };
        if (body.data?.masterSkus.edges.length !== 100) throw new Error(`bad response: ${JSON.stringify(body)}`);
      };
      const direct = async () => {
        await db.prisma.apiToken.findUnique({ where: { tokenHash: 'x' } });
        await Promise.all([
          db.prisma.masterSku.findMany({ where: { merchantId: merchant.id }, orderBy: [{ sku: 'asc' }, { id: 'asc' }], take: 101 }),
          db.prisma.masterSku.count({ where: { merchantId: merchant.id } }),
        ]);
      };

      for (let i = 0; i < 20; i++) await Promise.all([viaGraphql(), direct()]); // warm-up
      const before = db.statements.count;
      await viaGraphql();
      const statementsPerPage = db.statements.count - before;
      const timing = await sideBySide(ITERATIONS, viaGraphql, direct);
      const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;

      return {
        name: this.name,
        metrics: { ...timing, statementsPerPage, heapMb },
        checks: [
          {
            description: `GraphQL page of 100 costs at most ${MAX_RATIO}× the bare Prisma reads`,
            measured: `${timing.subjectMs.toFixed(2)} ms vs ${timing.baselineMs.toFixed(2)} ms = ${timing.ratio.toFixed(2)}×`,
            pass: timing.ratio <= MAX_RATIO,
          },
          {
            description: 'a page of 100 is 3 SQL statements (token, page, count)',
            measured: `${statementsPerPage} statements`,
            pass: statementsPerPage === 3,
          },
        ],
      };
    } finally {
      await db.close();
    }
  },
};
