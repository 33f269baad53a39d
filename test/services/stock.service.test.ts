import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/context.ts';
import { checkMovement, EMPTY_LEVELS, importDelta, type StockLevels } from '../../src/domain/stock.ts';
import type { StockMovementReason } from '../../src/generated/prisma/enums.ts';
import { adjustStock, importStock } from '../../src/services/stock-adjustment.service.ts';
import { applyStockMovements, type StockMovementInput, StockRuleError } from '../../src/services/stock.service.ts';
import { TestApp } from '../helpers/app.ts';

describe('the stock service', () => {
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  const contextFor = (merchantId: string): RequestContext => t.contextFor(merchantId, 'STAFF');

  /** A merchant with one own warehouse and `count` Master SKUs placed in it. */
  async function stockedWarehouse(count: number) {
    const n = ++sequence;
    const merchant = await t.db.prisma.merchant.create({ data: { name: `Stock ${n}` } });
    const warehouse = await t.db.prisma.warehouse.create({ data: { merchantId: merchant.id, kind: 'OWN', name: `DC ${n}` } });
    // Raw SQL: the bulk test needs 10,000 of each, and Prisma's createMany takes seconds for that.
    await t.db.prisma.$executeRaw`
      INSERT INTO "MasterSku" ("id", "merchantId", "sku", "name", "updatedAt")
      SELECT gen_random_uuid()::text, ${merchant.id}, 'SKU-' || i, 'Product ' || i, now() FROM generate_series(0, ${count - 1}::int) AS i`;
    await t.db.prisma.$executeRaw`
      INSERT INTO "WarehouseProduct" ("id", "merchantId", "warehouseId", "masterSkuId", "pushStatus", "updatedAt")
      SELECT gen_random_uuid()::text, "merchantId", ${warehouse.id}, "id", 'NOT_REQUIRED', now()
      FROM "MasterSku" WHERE "merchantId" = ${merchant.id}`;
    const skus = await t.db.prisma.masterSku.findMany({ where: { merchantId: merchant.id }, select: { id: true, sku: true } });
    skus.sort((a, b) => Number(a.sku.slice(4)) - Number(b.sku.slice(4)));
    const movement = (index: number, fields: Partial<StockMovementInput> & Pick<StockMovementInput, 'reason'>): StockMovementInput => ({
      merchantId: merchant.id,
      warehouseId: warehouse.id,
      masterSkuId: skus[index]!.id,
      actor: 'test',
      idempotencyKey: crypto.randomUUID(),
      ...fields,
    });
    const apply = (movements: StockMovementInput[]) => t.db.prisma.$transaction((tx) => applyStockMovements(tx, movements));
    const records = () => t.db.prisma.stockRecord.findMany({ where: { warehouseId: warehouse.id }, orderBy: { id: 'asc' } });
    return { merchant, warehouse, skus, movement, apply, records, ctx: contextFor(merchant.id) };
  }

  /** Every record of the warehouse against the sum of its ledger. */
  async function ledgerMismatches(warehouseId: string) {
    const records = await t.db.prisma.stockRecord.findMany({ where: { warehouseId } });
    const sums = await t.db.prisma.stockMovement.groupBy({
      by: ['stockRecordId'],
      where: { stockRecord: { warehouseId } },
      _sum: { onHandDelta: true, lockedDelta: true, incomingDelta: true },
    });
    const byRecord = new Map(sums.map((sum) => [sum.stockRecordId, sum._sum]));
    return records.filter((record) => {
      const sum = byRecord.get(record.id);
      return (
        record.onHand !== (sum?.onHandDelta ?? 0) || record.locked !== (sum?.lockedDelta ?? 0) || record.incoming !== (sum?.incomingDelta ?? 0)
      );
    });
  }

  describe('applyStockMovements', () => {
    it('sends no statement for no movements', async () => {
      const statementsOf = async (work: () => Promise<unknown>) => {
        const before = t.db.statements.count;
        await work();
        return t.db.statements.count - before;
      };

      const empty = await statementsOf(() => t.db.prisma.$transaction(async () => []));
      const none = await statementsOf(() => t.db.prisma.$transaction((tx) => applyStockMovements(tx, [])));

      expect(none).toBe(empty);
    });

    it('follows an outbound list: lock, then ship, then release the rest; the record is created on first use', async () => {
      // given
      const { movement, apply, records } = await stockedWarehouse(1);
      expect(await records()).toEqual([]);

      // when
      const [received] = await apply([movement(0, { reason: 'INBOUND_RECEIVED', onHandDelta: 10 })]);
      const [locked] = await apply([
        movement(0, { reason: 'OUTBOUND_LOCKED', lockedDelta: 6, referenceType: 'OUTBOUND_LIST', referenceId: 'OUT-1' }),
      ]);
      const [shipped, released] = await apply([
        movement(0, { reason: 'OUTBOUND_SHIPPED', onHandDelta: -4, lockedDelta: -4 }),
        movement(0, { reason: 'OUTBOUND_RELEASED', lockedDelta: -2 }),
      ]);

      // then
      expect(received).toMatchObject({ status: 'APPLIED', record: { onHand: 10, locked: 0 } });
      expect(locked).toMatchObject({
        status: 'APPLIED',
        record: { onHand: 10, locked: 6 },
        movement: { reason: 'OUTBOUND_LOCKED', lockedDelta: 6, referenceType: 'OUTBOUND_LIST', referenceId: 'OUT-1', actor: 'test' },
      });
      expect(shipped!.record).toBe(released!.record);
      expect(released!.record).toMatchObject({ onHand: 6, locked: 0, incoming: 0, shortage: false });
      expect(await records()).toMatchObject([{ onHand: 6, locked: 0 }]);
      expect(Math.abs(released!.record.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('applies a key once: a repeat, in a later call or the same batch, is ALREADY_APPLIED with the first movement', async () => {
      // given
      const { movement, apply, records } = await stockedWarehouse(1);
      const receipt = movement(0, { reason: 'INBOUND_RECEIVED', onHandDelta: 5, idempotencyKey: 'inbound:IN-1:SKU-0' });
      const [first] = await apply([receipt]);

      // when
      const [again] = await apply([{ ...receipt, onHandDelta: 50 }]);
      const [fresh, repeat] = await apply([
        movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 1, idempotencyKey: 'twice' }),
        movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 1, idempotencyKey: 'twice' }),
      ]);

      // then
      expect(again).toEqual({ status: 'ALREADY_APPLIED', movement: first!.movement, record: expect.objectContaining({ onHand: 5 }) });
      expect(fresh!.status).toBe('APPLIED');
      expect(repeat).toMatchObject({ status: 'ALREADY_APPLIED', movement: { id: fresh!.movement.id } });
      expect(await records()).toMatchObject([{ onHand: 6 }]);
    });

    it.each([
      ['INSUFFICIENT_STOCK', { reason: 'OUTBOUND_LOCKED', lockedDelta: 4 }],
      ['NEGATIVE_ON_HAND', { reason: 'MANUAL_ADJUSTMENT', onHandDelta: -4 }],
      ['NEGATIVE_LOCKED', { reason: 'OUTBOUND_RELEASED', lockedDelta: -1 }],
      ['NEGATIVE_INCOMING', { reason: 'INBOUND_RECEIVED', onHandDelta: 1, incomingDelta: -1 }],
      ['INVALID_MOVEMENT', { reason: 'OUTBOUND_LOCKED', onHandDelta: 1 }],
    ] as const)('throws %s and the whole batch rolls back', async (code, breaking) => {
      // given
      const { movement, apply, records } = await stockedWarehouse(2);
      await apply([movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 3 })]);
      const before = await records();

      // when
      const failure = await apply([
        movement(1, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 9 }),
        movement(0, breaking as Pick<StockMovementInput, 'reason'>),
      ]).catch((error: unknown) => error);

      // then
      expect(failure).toBeInstanceOf(StockRuleError);
      expect(failure).toMatchObject({ code, movementIndex: 1 });
      expect(await records()).toEqual(before);
    });

    it('flags a shortage when a sync finds fewer than locked, and lets the record recover', async () => {
      // given
      const { movement, apply } = await stockedWarehouse(1);
      await apply([movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 10 }), movement(0, { reason: 'OUTBOUND_LOCKED', lockedDelta: 8 })]);

      // when
      const [synced] = await apply([movement(0, { reason: 'SYNC_ADJUSTMENT', onHandDelta: -6, referenceType: 'STOCK_SYNC' })]);
      const [shipped] = await apply([movement(0, { reason: 'OUTBOUND_SHIPPED', onHandDelta: -4, lockedDelta: -4 })]);
      const lockMore = await apply([movement(0, { reason: 'OUTBOUND_LOCKED', lockedDelta: 1 })]).catch((error: unknown) => error);
      const [restocked] = await apply([movement(0, { reason: 'INBOUND_RECEIVED', onHandDelta: 4 })]);

      // then
      expect(synced!.record).toMatchObject({ onHand: 4, locked: 8, shortage: true });
      expect(shipped!.record).toMatchObject({ onHand: 0, locked: 4, shortage: true });
      expect(lockMore).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      expect(restocked!.record).toMatchObject({ onHand: 4, locked: 4, shortage: false });
    });

    it('lets only provider events and syncs change 3PL stock', async () => {
      // given
      const { merchant, skus, movement, apply, warehouse } = await stockedWarehouse(1);
      await t.db.prisma.warehouse.update({ where: { id: warehouse.id }, data: { kind: 'THIRD_PARTY', provider: 'JD' } });

      // when
      const [received] = await apply([movement(0, { reason: 'INBOUND_RECEIVED', onHandDelta: 5 })]);
      const [synced] = await apply([movement(0, { reason: 'SYNC_ADJUSTMENT', onHandDelta: -1 })]);
      const manual = await apply([movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 1 })]).catch((error: unknown) => error);
      const imported = await apply([movement(0, { reason: 'IMPORT', onHandDelta: 1 })]).catch((error: unknown) => error);

      // then
      expect(received!.status).toBe('APPLIED');
      expect(synced!.record.onHand).toBe(4);
      for (const refused of [manual, imported]) expect(refused).toMatchObject({ code: 'PROVIDER_MANAGED_STOCK' });
      expect(await t.db.prisma.stockMovement.count({ where: { merchantId: merchant.id, stockRecord: { masterSkuId: skus[0]!.id } } })).toBe(2);
    });

    it("refuses a target whose warehouse or SKU is another merchant's, creating nothing", async () => {
      // given
      const mine = await stockedWarehouse(1);
      const theirs = await stockedWarehouse(1);

      // when
      const foreignWarehouse = await mine
        .apply([{ ...mine.movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 1 }), warehouseId: theirs.warehouse.id }])
        .catch((error: unknown) => error);
      const foreignSku = await mine
        .apply([{ ...mine.movement(0, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 1 }), masterSkuId: theirs.skus[0]!.id }])
        .catch((error: unknown) => error);

      // then
      expect(foreignWarehouse).toMatchObject({ code: 'UNKNOWN_STOCK_TARGET' });
      expect(foreignSku).toMatchObject({ code: 'UNKNOWN_STOCK_TARGET' });
      expect(await t.db.prisma.stockRecord.count({ where: { merchantId: { in: [mine.merchant.id, theirs.merchant.id] } } })).toBe(0);
    });

    it('lets concurrent batches touch the same records in opposite orders without deadlock or lost updates', async () => {
      // given
      const { skus, movement, apply, records } = await stockedWarehouse(4);
      await apply(skus.map((_, index) => movement(index, { reason: 'MANUAL_ADJUSTMENT', onHandDelta: 100 })));

      // when
      const batches = Array.from({ length: 12 }, (_, batch) => {
        const order = batch % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
        return apply(order.map((index) => movement(index, { reason: 'OUTBOUND_LOCKED', lockedDelta: 1 })));
      });
      const raceOnKey = () => apply([movement(0, { reason: 'OUTBOUND_LOCKED', lockedDelta: 5, idempotencyKey: 'raced' })]);
      const duplicates = Array.from({ length: 4 }, raceOnKey);
      const results = await Promise.allSettled([...batches, ...duplicates]);

      // then
      const raced = (await Promise.all(duplicates)).map(([result]) => result!.status).sort();
      expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
      expect(raced).toEqual(['ALREADY_APPLIED', 'ALREADY_APPLIED', 'ALREADY_APPLIED', 'APPLIED']);
      expect(new Map((await records()).map((record) => [record.masterSkuId, record.locked]))).toEqual(
        new Map(skus.map((sku, index) => [sku.id, index === 0 ? 17 : 12])),
      );
    });
  });

  describe('importStock in bulk', () => {
    it('applies 10,000 rows in a bounded number of statements, all or nothing', async () => {
      // given
      const { skus, ctx, warehouse } = await stockedWarehouse(10_000);
      const rows = skus.map((sku, index) => ({ sku: sku.sku, quantity: index % 50 }));

      // when
      const before = t.db.statements.count;
      const set = await importStock(ctx, { warehouseId: warehouse.id, mode: 'SET', rows, idempotencyKey: 'bulk-1' });
      const statements = t.db.statements.count - before;
      const refused = await importStock(ctx, {
        warehouseId: warehouse.id,
        mode: 'DELTA',
        rows: rows.map((row, index) => ({ ...row, quantity: index === 9_999 ? -1_000 : 1 })),
      });

      // then
      expect(set.ok).toBe(true);
      expect(statements).toBeLessThanOrEqual(30);
      expect(refused).toMatchObject({ ok: false, userErrors: [{ index: 9_999, code: 'INSUFFICIENT_STOCK' }] });
      const totals = await t.db.prisma.stockRecord.aggregate({ where: { warehouseId: warehouse.id }, _sum: { onHand: true }, _count: true });
      expect(totals).toEqual({ _sum: { onHand: rows.reduce((sum, row) => sum + row.quantity, 0) }, _count: 10_000 });
      expect(await ledgerMismatches(warehouse.id)).toEqual([]);
    });
  });

  describe('the ledger, over random operation sequences', () => {
    type Operation =
      | { kind: 'adjust'; sku: number; delta: number }
      | { kind: 'import'; mode: 'SET' | 'DELTA'; rows: { sku: number; quantity: number }[] }
      | { kind: 'move'; sku: number; reason: StockMovementReason; onHandDelta: number; lockedDelta: number; incomingDelta: number };

    const sku = fc.constantFrom(0, 1);
    const q = fc.integer({ min: 0, max: 12 });
    const move = (reason: StockMovementReason, deltas: fc.Arbitrary<Partial<Record<'onHandDelta' | 'lockedDelta' | 'incomingDelta', number>>>) =>
      fc
        .tuple(sku, deltas)
        .map(([index, d]): Operation => ({ kind: 'move', sku: index, reason, onHandDelta: 0, lockedDelta: 0, incomingDelta: 0, ...d }));
    // Weighted towards adding stock, so that most locks, shipments and releases find some.
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant('adjust' as const), sku, delta: fc.integer({ min: -6, max: 12 }).filter((delta) => delta !== 0) }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('import' as const),
          mode: fc.constantFrom('SET' as const, 'DELTA' as const),
          rows: fc.uniqueArray(fc.record({ sku, quantity: fc.integer({ min: -4, max: 15 }) }), {
            minLength: 1,
            maxLength: 2,
            selector: (row) => row.sku,
          }),
        }),
      },
      { weight: 3, arbitrary: move('OUTBOUND_LOCKED', q.map((n) => ({ lockedDelta: n }))) },
      { weight: 1, arbitrary: move('OUTBOUND_RELEASED', q.map((n) => ({ lockedDelta: -n }))) },
      { weight: 2, arbitrary: move('OUTBOUND_SHIPPED', q.map((n) => ({ onHandDelta: -n, lockedDelta: -n }))) },
      { weight: 2, arbitrary: move('SYNC_ADJUSTMENT', fc.integer({ min: -12, max: 8 }).map((n) => ({ onHandDelta: n }))) },
      { weight: 1, arbitrary: move('INBOUND_PUSHED', q.map((n) => ({ incomingDelta: n }))) },
      { weight: 2, arbitrary: move('INBOUND_RECEIVED', q.map((n) => ({ onHandDelta: n, incomingDelta: -n }))) },
    );

    /** The same operation through the pure rules; null when they refuse it. */
    function expected(levels: StockLevels[], op: Operation): StockLevels[] | null {
      const next = [...levels];
      const changes =
        op.kind === 'adjust'
          ? [{ sku: op.sku, reason: 'MANUAL_ADJUSTMENT' as const, onHandDelta: op.delta, lockedDelta: 0, incomingDelta: 0 }]
          : op.kind === 'import'
            ? op.rows.map((row) => ({
                sku: row.sku,
                reason: 'IMPORT' as const,
                onHandDelta: importDelta(op.mode, levels[row.sku]!.onHand, row.quantity),
                lockedDelta: 0,
                incomingDelta: 0,
              }))
            : [op];
      if (op.kind === 'import' && op.mode === 'SET' && op.rows.some((row) => row.quantity < 0)) return null;
      for (const change of changes) {
        const check = checkMovement(next[change.sku]!, change.reason, change);
        if (!check.ok) return null;
        next[change.sku] = check.after;
      }
      return next;
    }

    /** Runs an operation; true when it was applied (a first time or again), false when refused. */
    async function perform(
      world: Awaited<ReturnType<typeof stockedWarehouse>>,
      op: Operation,
      key: string,
    ): Promise<{ applied: boolean; again: boolean }> {
      const { ctx, warehouse, skus } = world;
      if (op.kind === 'adjust') {
        const result = await adjustStock(ctx, { warehouseId: warehouse.id, masterSkuId: skus[op.sku]!.id, delta: op.delta, idempotencyKey: key });
        return { applied: result.ok, again: result.ok && result.value.alreadyApplied };
      }
      if (op.kind === 'import') {
        const rows = op.rows.map((row) => ({ sku: skus[row.sku]!.sku, quantity: row.quantity }));
        const result = await importStock(ctx, { warehouseId: warehouse.id, mode: op.mode, rows, idempotencyKey: key });
        return { applied: result.ok, again: result.ok && result.value.alreadyApplied };
      }
      try {
        const [result] = await world.apply([world.movement(op.sku, { ...op, idempotencyKey: key })]);
        return { applied: true, again: result!.status === 'ALREADY_APPLIED' };
      } catch (error) {
        if (error instanceof StockRuleError) return { applied: false, again: false };
        throw error;
      }
    }

    it('keeps every record equal to its ledger and to the rules, and a replay of any prefix changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { maxLength: 30, size: 'max' }), fc.nat(), async (operations, cut) => {
          // given
          const world = await stockedWarehouse(2);
          let model = [EMPTY_LEVELS, EMPTY_LEVELS];
          const applied: { op: Operation; key: string }[] = [];

          // when
          for (const [index, op] of operations.entries()) {
            const key = `op-${index}`;
            const outcome = await perform(world, op, key);
            const next = expected(model, op);
            expect(outcome, JSON.stringify(op)).toEqual({ applied: next !== null, again: false });
            if (next) {
              model = next;
              applied.push({ op, key });
            }
          }

          // then
          const records = await world.records();
          const bySku = world.skus.map((s) => records.find((record) => record.masterSkuId === s.id));
          const levelsOf = (record: (typeof records)[number] | undefined): StockLevels =>
            record ? { onHand: record.onHand, locked: record.locked, incoming: record.incoming, shortage: record.shortage } : EMPTY_LEVELS;
          expect(bySku.map(levelsOf)).toEqual(model);
          expect(await ledgerMismatches(world.warehouse.id)).toEqual([]);
          for (const record of records) expect(record.locked <= record.onHand || record.shortage).toBe(true);

          // and when a prefix is replayed with its keys
          const movementsBefore = await t.db.prisma.stockMovement.count({ where: { merchantId: world.merchant.id } });
          const prefix = applied.slice(0, applied.length === 0 ? 0 : (cut % applied.length) + 1);
          for (const { op, key } of prefix) expect(await perform(world, op, key)).toEqual({ applied: true, again: true });

          // then nothing changed
          expect(await world.records()).toEqual(records);
          expect(await t.db.prisma.stockMovement.count({ where: { merchantId: world.merchant.id } })).toBe(movementsBefore);
        }),
        { numRuns: 25 },
      );
    });
  });
});
