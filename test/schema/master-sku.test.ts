import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { TestApp } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const CreateMasterSku = graphql(`
  mutation CreateMasterSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) {
      masterSku { id sku name status barcode weightGrams declaredValueCents createdAt }
      userErrors { field message code }
    }
  }
`);

const UpdateMasterSku = graphql(`
  mutation UpdateMasterSku($id: ID!, $input: UpdateMasterSkuInput!) {
    updateMasterSku(id: $id, input: $input) {
      masterSku { id sku name status barcode }
      userErrors { field message code }
    }
  }
`);

const MasterSkus = graphql(`
  query MasterSkus($first: Int, $after: String, $last: Int, $before: String, $filter: MasterSkuFilter, $sortBy: MasterSkuSort) {
    masterSkus(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortBy: $sortBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      edges { cursor node { id sku name status } }
    }
  }
`);

const MasterSkuNode = graphql(`
  query MasterSkuNode($id: ID!) {
    node(id: $id) { id ... on MasterSku { sku name } }
  }
`);

const CreateSkuInWarehouses = graphql(`
  mutation CreateMasterSkuInWarehouses($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) {
      masterSku { id sku warehouseProducts { warehouse { name } pushStatus } }
      inboundLists { code source status pushStatus warehouse { name } lines { quantity masterSku { sku } } }
      userErrors { field message code index }
    }
  }
`);

const InboundLists = graphql(`
  query MasterSkuInboundLists {
    inboundLists(first: 10, filter: { source: SKU_CREATION }) { totalCount edges { node { code } } }
  }
`);

describe('Master SKUs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  it('creates a Master SKU and reads it back by global id', async () => {
    // given / when
    const { createMasterSku } = await t.data(CreateMasterSku, {
      input: { sku: '  TSHIRT-RED-M ', name: 'T-shirt red M', barcode: '8991234567890', weightGrams: 180, declaredValueCents: 550 },
    });

    // then
    expect(createMasterSku.userErrors).toEqual([]);
    expect(createMasterSku.masterSku).toMatchObject({
      sku: 'TSHIRT-RED-M',
      name: 'T-shirt red M',
      status: 'ACTIVE',
      barcode: '8991234567890',
      weightGrams: 180,
      declaredValueCents: 550,
    });
    const { node } = await t.data(MasterSkuNode, { id: createMasterSku.masterSku!.id });
    expect(node).toMatchObject({ sku: 'TSHIRT-RED-M' });
  });

  it('rejects a duplicate SKU with a userError on input.sku and writes nothing', async () => {
    // given
    await t.data(CreateMasterSku, { input: { sku: 'DUP-1', name: 'First' } });

    // when
    const { createMasterSku } = await t.data(CreateMasterSku, { input: { sku: 'DUP-1', name: 'Second' } });

    // then
    expect(createMasterSku.masterSku).toBeNull();
    expect(createMasterSku.userErrors).toEqual([
      { field: ['input', 'sku'], message: 'SKU "DUP-1" already exists', code: 'TAKEN' },
    ]);
    expect(await t.db.prisma.masterSku.count({ where: { sku: 'DUP-1' } })).toBe(1);
  });

  it('reports every invalid field at once, with field paths', async () => {
    const { createMasterSku } = await t.data(CreateMasterSku, {
      input: { sku: 'bad sku!', name: '   ', weightGrams: 0, declaredValueCents: -1 },
    });

    expect(createMasterSku.masterSku).toBeNull();
    expect(createMasterSku.userErrors.map((error) => error.field)).toEqual([
      ['input', 'sku'],
      ['input', 'name'],
      ['input', 'weightGrams'],
      ['input', 'declaredValueCents'],
    ]);
    expect(createMasterSku.userErrors.every((error) => error.code === 'INVALID')).toBe(true);
    expect(createMasterSku.userErrors[0]!.message).toMatch(/^sku may contain only letters/);
  });

  it('updates fields, clears optional ones with null, archives, and refuses null for required ones', async () => {
    // given
    const { createMasterSku } = await t.data(CreateMasterSku, { input: { sku: 'UPD-1', name: 'Old', barcode: '123' } });
    const id = createMasterSku.masterSku!.id;

    // when
    const updated = await t.data(UpdateMasterSku, { id, input: { name: 'New', barcode: null, status: 'ARCHIVED' } });
    const refused = await t.data(UpdateMasterSku, { id, input: { name: null } });

    // then
    expect(updated.updateMasterSku.masterSku).toMatchObject({ name: 'New', barcode: null, status: 'ARCHIVED' });
    expect(refused.updateMasterSku.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'INVALID' }]);
  });

  it('refuses to rename a SKU onto another existing SKU', async () => {
    await t.data(CreateMasterSku, { input: { sku: 'REN-A', name: 'A' } });
    const { createMasterSku } = await t.data(CreateMasterSku, { input: { sku: 'REN-B', name: 'B' } });

    const { updateMasterSku } = await t.data(UpdateMasterSku, { id: createMasterSku.masterSku!.id, input: { sku: 'REN-A' } });

    expect(updateMasterSku.userErrors).toMatchObject([{ field: ['input', 'sku'], code: 'TAKEN' }]);
  });

  describe('created straight into warehouses', () => {
    let own: { id: string; globalId: string };
    let thirdParty: { id: string; globalId: string };
    beforeAll(async () => {
      const ownRow = await t.db.prisma.warehouse.create({ data: { merchantId: t.merchant.id, kind: 'OWN', name: 'Own DC' } });
      own = { id: ownRow.id, globalId: encodeGlobalID('Warehouse', ownRow.id) };
      const tpl = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'ECCANG', code: 'ID01', name: 'ID01CUST' });
      thirdParty = { id: tpl.id, globalId: tpl.globalId };
    });

    it('adjusts stock in an own warehouse, and makes an inbound list for a 3PL one', async () => {
      // when
      const { createMasterSku } = await t.data(CreateSkuInWarehouses, {
        input: {
          sku: 'INIT-1',
          name: 'With initial stock',
          addToWarehouses: [
            { warehouseId: own.globalId, initialQuantity: 40 },
            { warehouseId: thirdParty.globalId, initialQuantity: 25 },
          ],
        },
      });

      // then
      expect(createMasterSku.userErrors).toEqual([]);
      expect(createMasterSku.masterSku?.warehouseProducts).toEqual([
        { warehouse: { name: 'Own DC' }, pushStatus: 'NOT_REQUIRED' },
        { warehouse: { name: 'ID01CUST' }, pushStatus: 'PENDING' },
      ]);
      expect(createMasterSku.inboundLists).toMatchObject([
        { source: 'SKU_CREATION', status: 'DRAFT', pushStatus: 'PENDING', warehouse: { name: 'ID01CUST' }, lines: [{ quantity: 25, masterSku: { sku: 'INIT-1' } }] },
      ]);
      expect(createMasterSku.inboundLists[0]!.code).toMatch(/^IN-\d{8}-[0-9A-Z]{6}$/);
      const records = await t.db.prisma.stockRecord.findMany({ where: { masterSku: { sku: 'INIT-1' } }, include: { movements: true } });
      const ownRecord = records.find((record) => record.warehouseId === own.id)!;
      const thirdPartyRecord = records.find((record) => record.warehouseId === thirdParty.id)!;
      expect(ownRecord).toMatchObject({ onHand: 40, locked: 0 });
      expect(ownRecord.movements).toMatchObject([{ reason: 'MANUAL_ADJUSTMENT', onHandDelta: 40 }]);
      expect(thirdPartyRecord).toMatchObject({ onHand: 0, incoming: 0, movements: [] });
      const { inboundLists } = await t.data(InboundLists);
      expect(inboundLists.totalCount).toBe(1);
    });

    it('creates nothing when a warehouse is unknown, inactive or named twice', async () => {
      // given
      const closed = await t.db.prisma.warehouse.create({ data: { merchantId: t.merchant.id, kind: 'OWN', name: 'Closed', status: 'DISABLED' } });

      // when
      const unknown = await t.data(CreateSkuInWarehouses, {
        input: {
          sku: 'INIT-BAD',
          name: 'x',
          addToWarehouses: [
            { warehouseId: own.globalId, initialQuantity: 1 },
            { warehouseId: encodeGlobalID('Warehouse', closed.id) },
            { warehouseId: encodeGlobalID('Warehouse', 'nope') },
          ],
        },
      });
      const twice = await t.data(CreateSkuInWarehouses, {
        input: { sku: 'INIT-BAD', name: 'x', addToWarehouses: [{ warehouseId: own.globalId }, { warehouseId: own.globalId }] },
      });
      const negative = await t.data(CreateSkuInWarehouses, {
        input: { sku: 'INIT-BAD', name: 'x', addToWarehouses: [{ warehouseId: own.globalId, initialQuantity: -5 }] },
      });

      // then
      expect(unknown.createMasterSku.userErrors).toEqual([
        { field: ['input', 'addToWarehouses', '1', 'warehouseId'], message: 'The warehouse is not active', code: 'WAREHOUSE_INACTIVE', index: 1 },
        { field: ['input', 'addToWarehouses', '2', 'warehouseId'], message: 'No such warehouse', code: 'NOT_FOUND', index: 2 },
      ]);
      expect(twice.createMasterSku.userErrors).toMatchObject([{ field: ['input', 'addToWarehouses'], code: 'INVALID' }]);
      expect(negative.createMasterSku.userErrors).toMatchObject([
        { field: ['input', 'addToWarehouses', '0', 'initialQuantity'], code: 'INVALID' },
      ]);
      expect(await t.db.prisma.masterSku.count({ where: { sku: 'INIT-BAD' } })).toBe(0);
      expect(await t.db.prisma.stockMovement.count({ where: { stockRecord: { masterSku: { sku: 'INIT-BAD' } } } })).toBe(0);
    });
  });

  describe('listing', () => {
    let other: TestApp['merchant'];
    beforeAll(async () => {
      other = await t.createMerchant('Listing merchant');
      for (const [index, color] of ['red', 'green', 'blue', 'black', 'white'].entries()) {
        await t.data(
          CreateMasterSku,
          { input: { sku: `LIST-${index}`, name: `Mug ${color}` } },
          { token: other.ownerToken },
        );
      }
      await t.data(CreateMasterSku, { input: { sku: 'LIST-X', name: 'Plate' } }, { token: other.ownerToken });
    });

    it('filters by text on SKU and name, case-insensitively, with totalCount', async () => {
      const { masterSkus } = await t.data(MasterSkus, { filter: { text: 'mug B' } }, { token: other.ownerToken });

      expect(masterSkus.totalCount).toBe(2);
      expect(masterSkus.edges.map((edge) => edge.node.name).sort()).toEqual(['Mug black', 'Mug blue']);
    });

    it('filters by status', async () => {
      const { masterSkus: all } = await t.data(MasterSkus, { filter: { text: 'LIST-X' } }, { token: other.ownerToken });
      await t.data(UpdateMasterSku, { id: all.edges[0]!.node.id, input: { status: 'ARCHIVED' } }, { token: other.ownerToken });

      const { masterSkus } = await t.data(MasterSkus, { filter: { status: 'ARCHIVED' } }, { token: other.ownerToken });

      expect(masterSkus.edges.map((edge) => edge.node.sku)).toEqual(['LIST-X']);
      expect(masterSkus.totalCount).toBe(1);
    });

    it('sorts by name both ways and pages forward and backward without gaps or repeats', async () => {
      const sortBy = { field: 'NAME', direction: 'DESC' } as const;
      const filter = { text: 'Mug' };

      const first = await t.data(MasterSkus, { first: 2, filter, sortBy }, { token: other.ownerToken });
      const second = await t.data(
        MasterSkus,
        { first: 2, after: first.masterSkus.pageInfo.endCursor, filter, sortBy },
        { token: other.ownerToken },
      );
      const third = await t.data(
        MasterSkus,
        { first: 2, after: second.masterSkus.pageInfo.endCursor, filter, sortBy },
        { token: other.ownerToken },
      );
      const back = await t.data(
        MasterSkus,
        { last: 2, before: third.masterSkus.pageInfo.startCursor, filter, sortBy },
        { token: other.ownerToken },
      );

      const names = [first, second, third].flatMap((page) => page.masterSkus.edges.map((edge) => edge.node.name));
      expect(names).toEqual(['Mug white', 'Mug red', 'Mug green', 'Mug blue', 'Mug black']);
      expect(first.masterSkus.pageInfo.hasNextPage).toBe(true);
      expect(third.masterSkus.pageInfo.hasNextPage).toBe(false);
      expect(back.masterSkus.edges.map((edge) => edge.node.name)).toEqual(['Mug green', 'Mug blue']);
      expect(first.masterSkus.totalCount).toBe(5);

      const ascending = await t.data(MasterSkus, { first: 1, filter, sortBy: { field: 'NAME', direction: 'ASC' } }, { token: other.ownerToken });
      expect(ascending.masterSkus.edges[0]!.node.name).toBe('Mug black');
    });

    it('costs the same number of SQL statements for a page of 10 and of 100', async () => {
      // given
      const bulk = await t.createMerchant('Bulk merchant');
      await t.db.prisma.masterSku.createMany({
        data: Array.from({ length: 120 }, (_, index) => ({ merchantId: bulk.id, sku: `BULK-${index}`, name: `Bulk ${index}` })),
      });
      const statementsFor = async (first: number) => {
        const before = t.db.statements.count;
        const { masterSkus } = await t.data(MasterSkus, { first, sortBy: { field: 'SKU', direction: 'ASC' } }, { token: bulk.ownerToken });
        expect(masterSkus.edges).toHaveLength(first);
        return t.db.statements.count - before;
      };
      await statementsFor(1); // the token's lastUsedAt is written on its first use only

      // when
      const small = await statementsFor(10);
      const large = await statementsFor(100);

      // then
      expect(large).toBe(small);
      // the token lookup, the page, and totalCount
      expect(small).toBe(3);
    });

    it('refuses a page larger than 100 and an over-long text filter with a clear error', async () => {
      const tooMany = await t.execute(MasterSkus, { first: 101 }, { token: other.ownerToken });
      const tooLong = await t.execute(MasterSkus, { filter: { text: 'x'.repeat(201) } }, { token: other.ownerToken });

      expect(tooMany.errors?.[0]?.message).toMatch(/100/);
      expect(tooLong.errors?.[0]?.message).toMatch(/text: must be at most 200 characters/);
      expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
