import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { TestApp } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const CreateWarehouse = graphql(`
  mutation WarehouseCreate($input: CreateWarehouseInput!) {
    createWarehouse(input: $input) {
      warehouse { id kind name country status provider }
      userErrors { field message code }
    }
  }
`);

const UpdateWarehouse = graphql(`
  mutation WarehouseUpdate($id: ID!, $input: UpdateWarehouseInput!) {
    updateWarehouse(id: $id, input: $input) {
      warehouse { id name status autoSync country }
      userErrors { field message code }
    }
  }
`);

const Warehouses = graphql(`
  query WarehouseList($filter: WarehouseFilter, $sortBy: WarehouseSort) {
    warehouses(first: 50, filter: $filter, sortBy: $sortBy) {
      totalCount
      edges { node { id name kind provider providerCode status } }
    }
  }
`);

const CreateSku = graphql(`
  mutation WarehouseCreateSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) { masterSku { id sku } userErrors { code } }
  }
`);

const AddProducts = graphql(`
  mutation WarehouseAddProducts($input: AddProductsToWarehouseInput!) {
    addProductsToWarehouse(input: $input) {
      warehouse { name products(first: 10) { totalCount edges { node { masterSku { sku } pushStatus } } } }
      products { id pushStatus masterSku { sku } warehouse { name } }
      newlyPlaced
      userErrors { field message code index }
    }
  }
`);

const SkuPlacements = graphql(`
  query WarehouseSkuPlacements($id: ID!) {
    node(id: $id) { ... on MasterSku { sku warehouseProducts { warehouse { name } pushStatus } } }
  }
`);

describe('warehouses', () => {
  let t: TestApp;
  let ownId: string;
  let thirdPartyId: string;

  beforeAll(async () => {
    t = await TestApp.create();
    const { createWarehouse } = await t.data(CreateWarehouse, { input: { name: 'Jakarta DC', country: 'ID' } });
    ownId = createWarehouse.warehouse!.id;
    thirdPartyId = (await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'ECCANG', code: 'TH01', name: 'TH01CUST1' })).globalId;
  });
  afterAll(() => t?.close());

  describe("the merchant's own", () => {
    it('creates one, unique by name', async () => {
      const duplicate = await t.data(CreateWarehouse, { input: { name: 'Jakarta DC' } });

      expect(duplicate.createWarehouse.userErrors).toEqual([
        { field: ['input', 'name'], message: 'Another warehouse already has this name', code: 'TAKEN' },
      ]);
    });

    it('renames, moves country and disables; VANISHED is not the merchant’s to set', async () => {
      const updated = await t.data(UpdateWarehouse, { id: ownId, input: { name: 'Jakarta Main', country: 'SG', status: 'DISABLED' } });
      const vanished = await t.data(UpdateWarehouse, { id: ownId, input: { status: 'VANISHED' } });
      await t.data(UpdateWarehouse, { id: ownId, input: { status: 'ACTIVE' } });

      expect(updated.updateWarehouse.warehouse).toMatchObject({ name: 'Jakarta Main', country: 'SG', status: 'DISABLED' });
      expect(vanished.updateWarehouse.userErrors).toEqual([
        { field: ['input', 'status'], message: 'status must be ACTIVE or DISABLED', code: 'INVALID' },
      ]);
    });

    it('has no auto-sync: there is no provider to sync from', async () => {
      const { updateWarehouse } = await t.data(UpdateWarehouse, { id: ownId, input: { autoSync: true } });

      expect(updateWarehouse.userErrors[0]).toMatchObject({ field: ['input', 'autoSync'], code: 'OWN_WAREHOUSE' });
    });
  });

  describe('a 3PL warehouse', () => {
    it('takes auto-sync but not a new name: those come from the provider', async () => {
      const sync = await t.data(UpdateWarehouse, { id: thirdPartyId, input: { autoSync: true } });
      const rename = await t.data(UpdateWarehouse, { id: thirdPartyId, input: { name: 'Mine now' } });

      expect(sync.updateWarehouse.warehouse?.autoSync).toBe(true);
      expect(rename.updateWarehouse.userErrors).toEqual([
        { field: ['input', 'name'], message: 'name of a 3PL warehouse comes from its provider', code: 'THIRD_PARTY_WAREHOUSE' },
      ]);
    });
  });

  it('lists with filters by kind, provider, status and text, sorted', async () => {
    const thirdParty = await t.data(Warehouses, { filter: { kind: 'THIRD_PARTY' } });
    const eccang = await t.data(Warehouses, { filter: { provider: 'ECCANG' } });
    const byCode = await t.data(Warehouses, { filter: { text: 'th01' } });
    const newestFirst = await t.data(Warehouses, { sortBy: { field: 'CREATED_AT', direction: 'DESC' } });

    expect(thirdParty.warehouses.edges.map((edge) => edge.node.name)).toEqual(['TH01CUST1']);
    expect(eccang.warehouses.totalCount).toBe(1);
    expect(byCode.warehouses.edges[0]!.node.providerCode).toBe('TH01');
    expect(newestFirst.warehouses.edges.map((edge) => edge.node.name)).toEqual(['TH01CUST1', 'Jakarta Main']);
  });

  describe('placing Master SKUs', () => {
    let skuIds: string[];
    beforeAll(async () => {
      skuIds = [];
      for (const sku of ['PL-1', 'PL-2', 'PL-3']) {
        skuIds.push((await t.data(CreateSku, { input: { sku, name: sku } })).createMasterSku.masterSku!.id);
      }
    });

    it('places many at once, idempotently, with a push status by warehouse kind', async () => {
      // when
      const first = await t.data(AddProducts, { input: { warehouseId: thirdPartyId, masterSkuIds: skuIds.slice(0, 2) } });
      const again = await t.data(AddProducts, { input: { warehouseId: thirdPartyId, masterSkuIds: skuIds } });
      const own = await t.data(AddProducts, { input: { warehouseId: ownId, masterSkuIds: [skuIds[0]!] } });

      // then
      expect(first.addProductsToWarehouse).toMatchObject({ newlyPlaced: 2, userErrors: [] });
      expect(again.addProductsToWarehouse.newlyPlaced).toBe(1);
      expect(again.addProductsToWarehouse.warehouse?.products.totalCount).toBe(3);
      expect(again.addProductsToWarehouse.products.every((product) => product.pushStatus === 'PENDING')).toBe(true);
      expect(own.addProductsToWarehouse.products[0]!.pushStatus).toBe('NOT_REQUIRED');
      const { node } = await t.data(SkuPlacements, { id: skuIds[0]! });
      expect(node).toMatchObject({
        warehouseProducts: [
          { warehouse: { name: 'TH01CUST1' }, pushStatus: 'PENDING' },
          { warehouse: { name: 'Jakarta Main' }, pushStatus: 'NOT_REQUIRED' },
        ],
      });
    });

    it('starts each placement with an empty stock record', async () => {
      const records = await t.db.prisma.stockRecord.findMany({ where: { masterSku: { sku: 'PL-3' } } });

      expect(records).toMatchObject([{ onHand: 0, locked: 0, incoming: 0 }]);
    });

    it('reports unknown and archived SKUs by index, and places nothing', async () => {
      // given
      const archived = (await t.data(CreateSku, { input: { sku: 'PL-OLD', name: 'old' } })).createMasterSku.masterSku!.id;
      await t.db.prisma.masterSku.updateMany({ where: { sku: 'PL-OLD' }, data: { status: 'ARCHIVED' } });
      const other = await t.createMerchant('Other');
      const foreign = (await t.data(CreateSku, { input: { sku: 'PL-FOREIGN', name: 'f' } }, { token: other.ownerToken }))
        .createMasterSku.masterSku!.id;
      const fresh = (await t.data(CreateSku, { input: { sku: 'PL-NEW', name: 'n' } })).createMasterSku.masterSku!.id;

      // when
      const { addProductsToWarehouse } = await t.data(AddProducts, {
        input: { warehouseId: ownId, masterSkuIds: [fresh, archived, foreign] },
      });

      // then
      expect(addProductsToWarehouse.userErrors).toEqual([
        { field: ['input', 'masterSkuIds', '1'], message: 'An archived Master SKU cannot be placed', code: 'SKU_ARCHIVED', index: 1 },
        { field: ['input', 'masterSkuIds', '2'], message: 'No such Master SKU', code: 'NOT_FOUND', index: 2 },
      ]);
      expect(await t.db.prisma.warehouseProduct.count({ where: { masterSku: { sku: 'PL-NEW' } } })).toBe(0);
    });

    it("refuses another merchant's warehouse and a disabled one", async () => {
      const other = await t.createMerchant('Other 2');
      const foreign = await t.data(CreateWarehouse, { input: { name: 'Foreign DC' } }, { token: other.ownerToken });
      const { createWarehouse } = await t.data(CreateWarehouse, { input: { name: 'Closed DC' } });
      await t.data(UpdateWarehouse, { id: createWarehouse.warehouse!.id, input: { status: 'DISABLED' } });

      const intoForeign = await t.data(AddProducts, { input: { warehouseId: foreign.createWarehouse.warehouse!.id, masterSkuIds: [skuIds[0]!] } });
      const intoClosed = await t.data(AddProducts, { input: { warehouseId: createWarehouse.warehouse!.id, masterSkuIds: [skuIds[0]!] } });

      expect(intoForeign.addProductsToWarehouse.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'NOT_FOUND' }]);
      expect(intoClosed.addProductsToWarehouse.userErrors).toMatchObject([{ field: ['input', 'warehouseId'], code: 'WAREHOUSE_INACTIVE' }]);
    });

    it('refuses more than 1,000 SKUs in one call', async () => {
      const ids = Array.from({ length: 1001 }, () => skuIds[0]!);

      const { addProductsToWarehouse } = await t.data(AddProducts, { input: { warehouseId: ownId, masterSkuIds: ids } });

      expect(addProductsToWarehouse.userErrors).toEqual([
        { field: ['input', 'masterSkuIds'], message: 'give 1 to 1000 Master SKUs', code: 'INVALID', index: null },
      ]);
    });
  });
});
