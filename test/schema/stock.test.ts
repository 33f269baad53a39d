import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStockMovements, type StockMovementInput } from '../../src/services/stock.service.ts';
import { graphql } from '../generated/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const AdjustStock = graphql(`
  mutation StockAdjust($input: AdjustStockInput!) {
    adjustStock(input: $input) {
      stockRecord { id onHand locked incoming available shortage warehouse { name } masterSku { sku } }
      movement { id reason onHandDelta lockedDelta incomingDelta actor note idempotencyKey referenceType stockRecord { id } }
      alreadyApplied
      userErrors { field message code index }
    }
  }
`);

const ImportStock = graphql(`
  mutation StockImport($input: ImportStockInput!) {
    importStock(input: $input) {
      stockRecords { id onHand available masterSku { sku } }
      alreadyApplied
      userErrors { field message code index }
    }
  }
`);

const StockRecords = graphql(`
  query StockRecordList($first: Int, $after: String, $last: Int, $before: String, $filter: StockRecordFilter, $sortBy: StockRecordSort) {
    stockRecords(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortBy: $sortBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id onHand locked available shortage warehouse { name } masterSku { sku } } }
    }
  }
`);

const StockMovements = graphql(`
  query StockMovementList($filter: StockMovementFilter, $sortBy: StockMovementSort) {
    stockMovements(first: 50, filter: $filter, sortBy: $sortBy) {
      totalCount
      edges { node { id reason onHandDelta lockedDelta createdAt stockRecord { masterSku { sku } } } }
    }
  }
`);

const RecordNode = graphql(`
  query StockRecordNode($id: ID!) {
    node(id: $id) {
      id
      ... on StockRecord {
        onHand
        available
        movements(first: 10) { totalCount edges { node { reason onHandDelta note } } }
      }
      ... on StockMovement { reason onHandDelta stockRecord { id } }
    }
  }
`);

describe('stock', () => {
  let t: TestApp;
  let own: Awaited<ReturnType<typeof ownWarehouse>>;
  let skus: Record<string, { id: string; globalId: string }>;

  async function ownWarehouse(merchantId: string, name: string, status: 'ACTIVE' | 'DISABLED' = 'ACTIVE') {
    const warehouse = await t.db.prisma.warehouse.create({ data: { merchantId, kind: 'OWN', name, status } });
    return { ...warehouse, globalId: encodeGlobalID('Warehouse', warehouse.id) };
  }

  async function createSkus(merchantId: string, codes: string[], placeIn: string[]) {
    const created: Record<string, { id: string; globalId: string }> = {};
    for (const sku of codes) {
      const masterSku = await t.db.prisma.masterSku.create({ data: { merchantId, sku, name: `Product ${sku}` } });
      created[sku] = { id: masterSku.id, globalId: encodeGlobalID('MasterSku', masterSku.id) };
      for (const warehouseId of placeIn) {
        await t.db.prisma.warehouseProduct.create({ data: { merchantId, warehouseId, masterSkuId: masterSku.id, pushStatus: 'NOT_REQUIRED' } });
      }
    }
    return created;
  }

  /** What the outbound, inbound and sync flows will do through the stock service. */
  async function move(
    merchantId: string,
    warehouseId: string,
    masterSkuId: string,
    movement: Partial<StockMovementInput> & Pick<StockMovementInput, 'reason'>,
  ) {
    return t.db.prisma.$transaction((tx) =>
      applyStockMovements(tx, [{ merchantId, warehouseId, masterSkuId, actor: 'test', idempotencyKey: crypto.randomUUID(), ...movement }]),
    );
  }

  const recordOf = (warehouseId: string, masterSkuId: string) =>
    t.db.prisma.stockRecord.findUnique({ where: { warehouseId_masterSkuId: { warehouseId, masterSkuId } } });

  beforeAll(async () => {
    t = await TestApp.create();
    own = await ownWarehouse(t.merchant.id, 'Own DC');
    skus = await createSkus(t.merchant.id, ['ADJ-1', 'ADJ-2', 'ADJ-3', 'IMP-1', 'IMP-2', 'IMP-3', 'IMP-4'], [own.id]);
    Object.assign(skus, await createSkus(t.merchant.id, ['LOOSE'], []));
  });
  afterAll(() => t?.close());

  describe('adjustStock', () => {
    it('raises and lowers on hand, each change a MANUAL_ADJUSTMENT movement', async () => {
      // given
      const input = { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId };

      // when
      const up = await t.data(AdjustStock, { input: { ...input, delta: 10, note: 'counted' } });
      const down = await t.data(AdjustStock, { input: { ...input, delta: -3 } });

      // then
      expect(up.adjustStock.userErrors).toEqual([]);
      expect(up.adjustStock.alreadyApplied).toBe(false);
      expect(down.adjustStock.stockRecord).toMatchObject({
        onHand: 7,
        locked: 0,
        incoming: 0,
        available: 7,
        shortage: false,
        warehouse: { name: 'Own DC' },
        masterSku: { sku: 'ADJ-1' },
      });
      expect(up.adjustStock.movement).toMatchObject({ reason: 'MANUAL_ADJUSTMENT', onHandDelta: 10, lockedDelta: 0, note: 'counted' });
      const { node } = await t.data(RecordNode, { id: down.adjustStock.stockRecord!.id });
      expect(node).toMatchObject({
        onHand: 7,
        movements: { totalCount: 2, edges: [{ node: { onHandDelta: -3, note: null } }, { node: { onHandDelta: 10, note: 'counted' } }] },
      });
    });

    it('refuses to make on hand negative, or lower it below what outbound lists have locked', async () => {
      // given
      const input = { warehouseId: own.globalId, masterSkuId: skus['ADJ-2']!.globalId };
      await t.data(AdjustStock, { input: { ...input, delta: 5 } });
      await move(t.merchant.id, own.id, skus['ADJ-2']!.id, { reason: 'OUTBOUND_LOCKED', lockedDelta: 3 });
      const movementsBefore = await t.db.prisma.stockMovement.count();

      // when
      const negative = await t.data(AdjustStock, { input: { ...input, delta: -6 } });
      const belowLocked = await t.data(AdjustStock, { input: { ...input, delta: -3 } });
      const allowed = await t.data(AdjustStock, { input: { ...input, delta: -2 } });

      // then
      expect(negative.adjustStock).toMatchObject({
        stockRecord: null,
        userErrors: [{ field: ['input', 'delta'], code: 'INSUFFICIENT_STOCK', message: 'on hand would become -1; only 5 on hand' }],
      });
      expect(belowLocked.adjustStock.userErrors).toEqual([
        { field: ['input', 'delta'], code: 'INSUFFICIENT_STOCK', message: 'on hand would become 2, below the 3 locked by outbound lists', index: null },
      ]);
      expect(allowed.adjustStock.stockRecord).toMatchObject({ onHand: 3, locked: 3, available: 0 });
      expect(await t.db.prisma.stockMovement.count()).toBe(movementsBefore + 1);
    });

    it('leaves 3PL stock to the provider: increases there become inbound lists', async () => {
      // given
      const thirdParty = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'JD', code: 'WH1', name: 'WH1-DEPT-PIN' });
      await t.db.prisma.warehouseProduct.create({ data: { merchantId: t.merchant.id, warehouseId: thirdParty.id, masterSkuId: skus['ADJ-3']!.id } });

      // when
      const { adjustStock } = await t.data(AdjustStock, {
        input: { warehouseId: thirdParty.globalId, masterSkuId: skus['ADJ-3']!.globalId, delta: 4 },
      });

      // then
      expect(adjustStock.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'THIRD_PARTY_WAREHOUSE' }]);
      expect(adjustStock.userErrors[0]!.message).toMatch(/inbound lists/);
      expect(await recordOf(thirdParty.id, skus['ADJ-3']!.id)).toBeNull();
    });

    it('needs the SKU placed in the warehouse first', async () => {
      const { adjustStock } = await t.data(AdjustStock, { input: { warehouseId: own.globalId, masterSkuId: skus.LOOSE!.globalId, delta: 1 } });

      expect(adjustStock.userErrors).toEqual([
        {
          field: ['input', 'masterSkuId'],
          code: 'SKU_NOT_IN_WAREHOUSE',
          message: 'The Master SKU is not placed in this warehouse; add it to the warehouse first',
          index: null,
        },
      ]);
    });

    it('refuses a disabled warehouse', async () => {
      const closed = await ownWarehouse(t.merchant.id, 'Closed DC', 'DISABLED');
      await t.db.prisma.warehouseProduct.create({ data: { merchantId: t.merchant.id, warehouseId: closed.id, masterSkuId: skus['ADJ-3']!.id } });

      const { adjustStock } = await t.data(AdjustStock, { input: { warehouseId: closed.globalId, masterSkuId: skus['ADJ-3']!.globalId, delta: 1 } });

      expect(adjustStock.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'WAREHOUSE_INACTIVE' }]);
    });

    it("treats another merchant's warehouse and SKU, and ids of the wrong type, as not found", async () => {
      // given
      const other = await t.createMerchant('Stock other');
      const foreignWarehouse = await ownWarehouse(other.id, 'Foreign DC');
      const foreignSku = (await createSkus(other.id, ['FOREIGN'], [foreignWarehouse.id])).FOREIGN!;

      // when
      const foreign = await t.data(AdjustStock, { input: { warehouseId: foreignWarehouse.globalId, masterSkuId: foreignSku.globalId, delta: 1 } });
      const wrongType = await t.data(AdjustStock, { input: { warehouseId: skus['ADJ-1']!.globalId, masterSkuId: 'not-a-global-id', delta: 1 } });

      // then
      for (const { adjustStock } of [foreign, wrongType]) {
        expect(adjustStock.userErrors).toMatchObject([
          { field: ['input', 'warehouseId'], code: 'NOT_FOUND' },
          { field: ['input', 'masterSkuId'], code: 'NOT_FOUND' },
        ]);
      }
      expect(await t.db.prisma.stockRecord.count({ where: { merchantId: other.id } })).toBe(0);
    });

    it('rejects a zero delta and a blank idempotency key', async () => {
      const { adjustStock } = await t.data(AdjustStock, {
        input: { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId, delta: 0, idempotencyKey: '  ' },
      });

      expect(adjustStock.userErrors).toMatchObject([
        { field: ['input', 'delta'], code: 'INVALID', message: 'delta must not be zero' },
        { field: ['input', 'idempotencyKey'], code: 'INVALID', message: 'idempotencyKey must not be blank' },
      ]);
    });

    it('refuses a change that would overflow the stock count', async () => {
      const input = { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId };

      const { adjustStock } = await t.data(AdjustStock, { input: { ...input, delta: 2_147_483_647 } });

      expect(adjustStock.userErrors).toEqual([
        { field: ['input', 'delta'], code: 'INVALID', message: 'a quantity would exceed 2147483647', index: null },
      ]);
    });

    it('does a retried adjustment once and answers with the first movement', async () => {
      // given
      const input = { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId, delta: 2, idempotencyKey: 'adjust-retry-1' };
      const first = await t.data(AdjustStock, { input });

      // when
      const retry = await t.data(AdjustStock, { input });
      const reused = await t.data(AdjustStock, { input: { ...input, delta: 5 } });

      // then
      expect(first.adjustStock.alreadyApplied).toBe(false);
      expect(retry.adjustStock.alreadyApplied).toBe(true);
      expect(retry.adjustStock.movement).toEqual(first.adjustStock.movement);
      expect(retry.adjustStock.movement?.idempotencyKey).toBe('adjust:adjust-retry-1');
      expect(retry.adjustStock.stockRecord?.onHand).toBe(first.adjustStock.stockRecord?.onHand);
      expect(reused.adjustStock.userErrors).toMatchObject([{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }]);
      expect((await recordOf(own.id, skus['ADJ-1']!.id))?.onHand).toBe(first.adjustStock.stockRecord?.onHand);
    });
  });

  describe('importStock', () => {
    it('sets counts (SET) and changes them (DELTA), returning the records in row order', async () => {
      // when
      const set = await t.data(ImportStock, {
        input: { warehouseId: own.globalId, mode: 'SET', rows: [{ sku: 'IMP-2', quantity: 20 }, { sku: ' IMP-1 ', quantity: 10 }] },
      });
      const delta = await t.data(ImportStock, {
        input: { warehouseId: own.globalId, mode: 'DELTA', rows: [{ sku: 'IMP-1', quantity: -4 }, { sku: 'IMP-3', quantity: 7 }] },
      });
      const setAgain = await t.data(ImportStock, { input: { warehouseId: own.globalId, mode: 'SET', rows: [{ sku: 'IMP-1', quantity: 1 }] } });

      // then
      expect(set.importStock).toMatchObject({
        userErrors: [],
        alreadyApplied: false,
        stockRecords: [
          { onHand: 20, masterSku: { sku: 'IMP-2' } },
          { onHand: 10, masterSku: { sku: 'IMP-1' } },
        ],
      });
      expect(delta.importStock.stockRecords.map((record) => record.onHand)).toEqual([6, 7]);
      expect(setAgain.importStock.stockRecords[0]!.onHand).toBe(1);
      const movements = await t.db.prisma.stockMovement.findMany({
        where: { stockRecord: { merchantId: t.merchant.id, masterSku: { sku: 'IMP-1' } } },
        orderBy: { id: 'asc' },
      });
      expect(movements.map((movement) => [movement.reason, movement.onHandDelta, movement.note])).toEqual([
        ['IMPORT', 10, 'Import: set to 10'],
        ['IMPORT', -4, 'Import: change by -4'],
        ['IMPORT', -5, 'Import: set to 1'],
      ]);
    });

    it('is all or nothing: every bad row is reported together, with its index and field, and nothing is written', async () => {
      // given
      await t.data(ImportStock, { input: { warehouseId: own.globalId, mode: 'SET', rows: [{ sku: 'IMP-4', quantity: 2 }] } });
      const movementsBefore = await t.db.prisma.stockMovement.count();
      const recordsBefore = await t.db.prisma.stockRecord.findMany({ orderBy: { id: 'asc' } });

      // when
      const { importStock } = await t.data(ImportStock, {
        input: {
          warehouseId: own.globalId,
          mode: 'DELTA',
          rows: [
            { sku: 'IMP-4', quantity: 1 },
            { sku: 'NO-SUCH-SKU', quantity: 1 },
            { sku: 'LOOSE', quantity: 1 },
            { sku: 'IMP-4', quantity: 1 },
            { sku: 'IMP-2', quantity: -21 },
            { sku: '', quantity: 1 },
            { sku: 'IMP-3', quantity: 1 },
          ],
        },
      });

      // then
      expect(importStock.stockRecords).toEqual([]);
      expect(importStock.userErrors).toEqual([
        { index: 1, field: ['input', 'rows', '1', 'sku'], code: 'NOT_FOUND', message: 'No Master SKU "NO-SUCH-SKU"' },
        { index: 2, field: ['input', 'rows', '2', 'sku'], code: 'SKU_NOT_IN_WAREHOUSE', message: 'SKU "LOOSE" is not placed in this warehouse' },
        { index: 3, field: ['input', 'rows', '3', 'sku'], code: 'DUPLICATE_ROW', message: 'SKU "IMP-4" is already in row 0' },
        { index: 4, field: ['input', 'rows', '4', 'quantity'], code: 'INSUFFICIENT_STOCK', message: 'on hand would become -1; only 20 on hand' },
        { index: 5, field: ['input', 'rows', '5', 'sku'], code: 'INVALID', message: 'sku must not be blank' },
      ]);
      expect(await t.db.prisma.stockMovement.count()).toBe(movementsBefore);
      expect(await t.db.prisma.stockRecord.findMany({ orderBy: { id: 'asc' } })).toEqual(recordsBefore);
    });

    it('refuses a negative count in SET mode and more than 10,000 rows', async () => {
      const negative = await t.data(ImportStock, { input: { warehouseId: own.globalId, mode: 'SET', rows: [{ sku: 'IMP-4', quantity: -1 }] } });
      const tooMany = await t.data(ImportStock, {
        input: { warehouseId: own.globalId, mode: 'DELTA', rows: Array.from({ length: 10_001 }, () => ({ sku: 'IMP-4', quantity: 1 })) },
      });

      expect(negative.importStock.userErrors).toEqual([
        { index: 0, field: ['input', 'rows', '0', 'quantity'], code: 'INVALID', message: 'quantity must not be negative when setting stock' },
      ]);
      expect(tooMany.importStock.userErrors).toEqual([
        { index: null, field: ['input', 'rows'], code: 'INVALID', message: 'rows must have at most 10,000 rows' },
      ]);
    });

    it('sends 3PL warehouses to inbound lists and does not find other merchants’ warehouses', async () => {
      const thirdParty = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'ECCANG', code: 'ID1', name: 'ID1CUST' });
      const other = await t.createMerchant('Import other');
      const foreign = await ownWarehouse(other.id, 'Foreign import DC');
      const rows = [{ sku: 'IMP-4', quantity: 1 }];

      const toThirdParty = await t.data(ImportStock, { input: { warehouseId: thirdParty.globalId, mode: 'DELTA', rows } });
      const toForeign = await t.data(ImportStock, { input: { warehouseId: foreign.globalId, mode: 'DELTA', rows } });

      expect(toThirdParty.importStock.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'THIRD_PARTY_WAREHOUSE' }]);
      expect(toForeign.importStock.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'NOT_FOUND' }]);
    });

    it('does a retried import once, even in SET mode after the stock moved, and answers as the first time', async () => {
      // given
      const input = {
        warehouseId: own.globalId,
        mode: 'SET' as const,
        rows: [{ sku: 'IMP-3', quantity: 30 }, { sku: 'IMP-4', quantity: 40 }],
        idempotencyKey: 'import-retry-1',
      };
      const first = await t.data(ImportStock, { input });
      await t.data(AdjustStock, { input: { warehouseId: own.globalId, masterSkuId: skus['IMP-3']!.globalId, delta: 1 } });
      const movementsBefore = await t.db.prisma.stockMovement.count();

      // when
      const retry = await t.data(ImportStock, { input });
      const reused = await t.data(ImportStock, { input: { ...input, rows: [{ sku: 'IMP-3', quantity: 30 }] } });

      // then
      expect(first.importStock).toMatchObject({ alreadyApplied: false, userErrors: [] });
      expect(retry.importStock).toMatchObject({ alreadyApplied: true, userErrors: [] });
      expect(retry.importStock.stockRecords.map((record) => [record.masterSku.sku, record.onHand])).toEqual([
        ['IMP-3', 31],
        ['IMP-4', 40],
      ]);
      expect(reused.importStock.userErrors).toMatchObject([{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }]);
      expect(await t.db.prisma.stockMovement.count()).toBe(movementsBefore);
    });
  });

  describe('roles and tenants', () => {
    let other: TestMerchant;
    let recordId: string;
    let movementId: string;
    beforeAll(async () => {
      other = await t.createMerchant('Stock tenant B');
      const { adjustStock } = await t.data(AdjustStock, { input: { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId, delta: 1 } });
      recordId = adjustStock.stockRecord!.id;
      movementId = adjustStock.movement!.id;
    });

    it("shows another merchant's records and movements to nobody", async () => {
      const record = await t.data(RecordNode, { id: recordId }, { token: other.ownerToken });
      const movement = await t.data(RecordNode, { id: movementId }, { token: other.staffToken });
      const list = await t.data(StockRecords, { first: 10, filter: { warehouseId: own.globalId } }, { token: other.ownerToken });
      const movements = await t.data(StockMovements, { filter: { stockRecordId: recordId } }, { token: other.ownerToken });

      expect(record.node).toBeNull();
      expect(movement.node).toBeNull();
      expect(list.stockRecords).toMatchObject({ totalCount: 0, edges: [] });
      expect(movements.stockMovements).toMatchObject({ totalCount: 0, edges: [] });
    });

    it('lets SUPPORT read a chosen merchant’s stock but not change it', async () => {
      // given
      const asSupport = { token: t.supportToken, merchantId: t.merchant.id };
      const before = await recordOf(own.id, skus['ADJ-1']!.id);

      // when
      const read = await t.data(RecordNode, { id: recordId }, asSupport);
      const adjust = await t.execute(AdjustStock, { input: { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId, delta: 1 } }, asSupport);
      const importing = await t.execute(
        ImportStock,
        { input: { warehouseId: own.globalId, mode: 'DELTA', rows: [{ sku: 'ADJ-1', quantity: 1 }] } },
        asSupport,
      );

      // then
      expect(read.node).toMatchObject({ id: recordId, onHand: before!.onHand });
      for (const result of [adjust, importing]) expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(await recordOf(own.id, skus['ADJ-1']!.id)).toEqual(before);
    });

    it('lets the SERVICE token neither read nor change stock', async () => {
      const read = await t.execute(StockRecords, { first: 1 }, { token: t.merchant.serviceToken });
      const adjust = await t.execute(
        AdjustStock,
        { input: { warehouseId: own.globalId, masterSkuId: skus['ADJ-1']!.globalId, delta: 1 } },
        { token: t.merchant.serviceToken },
      );

      expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(adjust.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('listing', () => {
    let merchant: TestMerchant;
    let north: Awaited<ReturnType<typeof ownWarehouse>>;
    let south: Awaited<ReturnType<typeof ownWarehouse>>;
    let listSkus: Record<string, { id: string; globalId: string }>;
    const as = () => ({ token: merchant.ownerToken });
    const skusOf = (result: { stockRecords: { edges: { node: { masterSku: { sku: string }; warehouse: { name: string } } }[] } }) =>
      result.stockRecords.edges.map(({ node }) => `${node.masterSku.sku}@${node.warehouse.name}`);

    beforeAll(async () => {
      // given: north holds MUG-RED 10 (4 locked), MUG-BLUE 2, PLATE 0, BOWL 5 with 8 locked after a sync found 3 missing;
      // south holds MUG-RED 1
      merchant = await t.createMerchant('Stock lister');
      north = await ownWarehouse(merchant.id, 'North');
      south = await ownWarehouse(merchant.id, 'South');
      listSkus = await createSkus(merchant.id, ['MUG-RED', 'MUG-BLUE', 'PLATE', 'BOWL'], [north.id]);
      await t.db.prisma.warehouseProduct.create({ data: { merchantId: merchant.id, warehouseId: south.id, masterSkuId: listSkus['MUG-RED']!.id } });
      const set = (warehouse: typeof north, rows: { sku: string; quantity: number }[]) =>
        t.data(ImportStock, { input: { warehouseId: warehouse.globalId, mode: 'SET', rows } }, as());
      await set(north, [
        { sku: 'MUG-RED', quantity: 10 },
        { sku: 'MUG-BLUE', quantity: 2 },
        { sku: 'PLATE', quantity: 0 },
        { sku: 'BOWL', quantity: 8 },
      ]);
      await set(south, [{ sku: 'MUG-RED', quantity: 1 }]);
      await move(merchant.id, north.id, listSkus['MUG-RED']!.id, { reason: 'OUTBOUND_LOCKED', lockedDelta: 4 });
      await move(merchant.id, north.id, listSkus.BOWL!.id, { reason: 'OUTBOUND_LOCKED', lockedDelta: 8 });
      await move(merchant.id, north.id, listSkus.BOWL!.id, { reason: 'SYNC_ADJUSTMENT', onHandDelta: -3 });
    });

    it('lists all of the merchant’s records by SKU, with totalCount and nested warehouse and SKU', async () => {
      const result = await t.data(StockRecords, { first: 10 }, as());

      expect(result.stockRecords.totalCount).toBe(5);
      expect(skusOf(result)).toEqual(['BOWL@North', 'MUG-BLUE@North', 'MUG-RED@North', 'MUG-RED@South', 'PLATE@North']);
      expect(result.stockRecords.edges[0]!.node).toMatchObject({ onHand: 5, locked: 8, available: -3, shortage: true });
    });

    it.each([
      ['warehouse', () => ({ warehouseId: south.globalId }), ['MUG-RED@South']],
      ['SKU text', () => ({ text: 'mug-r' }), ['MUG-RED@North', 'MUG-RED@South']],
      ['name text', () => ({ text: 'PRODUCT PLATE' }), ['PLATE@North']],
      ['low stock', () => ({ lowStockBelow: 3 }), ['BOWL@North', 'MUG-BLUE@North', 'MUG-RED@South', 'PLATE@North']],
      ['low stock and warehouse', () => ({ lowStockBelow: 1, warehouseId: north.globalId }), ['BOWL@North', 'PLATE@North']],
      ['negative available', () => ({ negativeAvailable: true }), ['BOWL@North']],
      ['not negative available', () => ({ negativeAvailable: false }), ['MUG-BLUE@North', 'MUG-RED@North', 'MUG-RED@South', 'PLATE@North']],
      ['shortage', () => ({ shortage: true }), ['BOWL@North']],
    ])('filters by %s', async (_name, filter, expected) => {
      const result = await t.data(StockRecords, { first: 10, filter: filter() }, as());

      expect(skusOf(result)).toEqual(expected);
      expect(result.stockRecords.totalCount).toBe(expected.length);
    });

    it('sorts by available, on hand or last change, either way', async () => {
      const byAvailable = await t.data(StockRecords, { first: 10, sortBy: { field: 'AVAILABLE', direction: 'DESC' } }, as());
      const byOnHand = await t.data(StockRecords, { first: 10, sortBy: { field: 'ON_HAND', direction: 'ASC' } }, as());
      const newest = await t.data(StockRecords, { first: 1, sortBy: { field: 'UPDATED_AT', direction: 'DESC' } }, as());

      expect(byAvailable.stockRecords.edges.map(({ node }) => node.available)).toEqual([6, 2, 1, 0, -3]);
      expect(byOnHand.stockRecords.edges.map(({ node }) => node.onHand)).toEqual([0, 1, 2, 5, 10]);
      expect(skusOf(newest)).toEqual(['BOWL@North']);
    });

    it('pages forwards and backwards with cursors, for every sort order', async () => {
      for (const field of ['SKU', 'ON_HAND', 'AVAILABLE', 'LOCKED', 'INCOMING', 'UPDATED_AT'] as const) {
        for (const direction of ['ASC', 'DESC'] as const) {
          // given
          const sortBy = { field, direction };
          const all = skusOf(await t.data(StockRecords, { first: 10, sortBy }, as()));

          // when
          const forwards: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await t.data(StockRecords, { first: 2, after, sortBy }, as());
            forwards.push(...skusOf(page));
            if (!page.stockRecords.pageInfo.hasNextPage) break;
            after = page.stockRecords.pageInfo.endCursor!;
          }
          const backwards: string[] = [];
          let before: string | undefined;
          for (;;) {
            const page = await t.data(StockRecords, { last: 2, before, sortBy }, as());
            backwards.unshift(...skusOf(page));
            if (!page.stockRecords.pageInfo.hasPreviousPage) break;
            before = page.stockRecords.pageInfo.startCursor!;
          }

          // then
          expect(forwards, `${field} ${direction}`).toEqual(all);
          expect(backwards, `${field} ${direction}`).toEqual(all);
        }
      }
    });

    it('refuses a cursor made for another sort order, and a page over 100', async () => {
      const page = await t.data(StockRecords, { first: 1 }, as());

      const { endCursor } = page.stockRecords.pageInfo;
      const wrongSort = await t.execute(StockRecords, { first: 1, after: endCursor, sortBy: { field: 'ON_HAND', direction: 'ASC' } }, as());
      const garbage = await t.execute(StockRecords, { first: 1, after: 'bm90IGEgY3Vyc29y' }, as());
      const tooLarge = await t.execute(StockRecords, { first: 101 }, as());

      expect(wrongSort.errors?.[0]).toMatchObject({ message: 'Invalid cursor for this sort order', extensions: { code: 'BAD_USER_INPUT' } });
      expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(tooLarge.errors?.[0]?.message).toMatch(/first: must be at most 100/);
    });

    it('costs the same number of SQL statements for 10 and for 100 records with nested warehouse and SKU', async () => {
      // given: more than 100 records
      const bulk = await ownWarehouse(merchant.id, 'Bulk');
      const many = await t.db.prisma.masterSku.createManyAndReturn({
        data: Array.from({ length: 110 }, (_, index) => ({ merchantId: merchant.id, sku: `BULK-${String(index).padStart(3, '0')}`, name: 'bulk' })),
      });
      await t.db.prisma.stockRecord.createMany({ data: many.map((sku) => ({ merchantId: merchant.id, warehouseId: bulk.id, masterSkuId: sku.id })) });
      await t.data(StockRecords, { first: 1 }, as());

      // when
      const statementsFor = async (first: number) => {
        const before = t.db.statements.count;
        const result = await t.data(StockRecords, { first }, as());
        expect(result.stockRecords.edges).toHaveLength(first);
        return t.db.statements.count - before;
      };
      const ten = await statementsFor(10);
      const hundred = await statementsFor(100);

      // then
      expect(hundred).toBe(ten);
    });

    describe('movements', () => {
      it('filters by record, warehouse, reasons and time, newest first unless asked', async () => {
        // given
        const bowl = await recordOf(north.id, listSkus.BOWL!.id);
        const bowlId = encodeGlobalID('StockRecord', bowl!.id);
        const all = await t.data(StockMovements, {}, as());
        const middle = all.stockMovements.edges[2]!.node.createdAt;

        // when
        const ofBowl = await t.data(StockMovements, { filter: { stockRecordId: bowlId } }, as());
        const ofSouth = await t.data(StockMovements, { filter: { warehouseId: south.globalId } }, as());
        const locks = await t.data(StockMovements, { filter: { reasons: ['OUTBOUND_LOCKED', 'SYNC_ADJUSTMENT'] } }, as());
        const oldestFirst = await t.data(StockMovements, { sortBy: { field: 'CREATED_AT', direction: 'ASC' } }, as());
        const since = await t.data(StockMovements, { filter: { createdAfter: middle } }, as());
        const until = await t.data(StockMovements, { filter: { createdBefore: middle } }, as());

        // then
        expect(all.stockMovements.totalCount).toBe(8);
        expect(ofBowl.stockMovements.edges.map(({ node }) => [node.reason, node.onHandDelta, node.lockedDelta])).toEqual([
          ['SYNC_ADJUSTMENT', -3, 0],
          ['OUTBOUND_LOCKED', 0, 8],
          ['IMPORT', 8, 0],
        ]);
        expect(ofSouth.stockMovements.edges.map(({ node }) => node.stockRecord.masterSku.sku)).toEqual(['MUG-RED']);
        expect(locks.stockMovements.totalCount).toBe(3);
        expect(oldestFirst.stockMovements.edges.map(({ node }) => node.id)).toEqual(all.stockMovements.edges.map(({ node }) => node.id).reverse());
        expect(since.stockMovements.edges.every(({ node }) => node.createdAt >= middle)).toBe(true);
        expect(until.stockMovements.edges.every(({ node }) => node.createdAt < middle)).toBe(true);
        expect(since.stockMovements.totalCount + until.stockMovements.totalCount).toBe(8);
      });
    });
  });
});
