import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';

const SetShippingRules = graphql(`
  mutation ShippingRulesSet($input: SetShippingRulesInput!) {
    setShippingRules(input: $input) {
      store { id name shippingRules { priority warehouse { name } } }
      userErrors { field message code index }
    }
  }
`);

const StoreRules = graphql(`
  query ShippingRulesOfStore($id: ID!) {
    node(id: $id) { ... on Store { shippingRules { priority warehouse { name } } } }
  }
`);

const StoresWithRules = graphql(`
  query ShippingRulesStores {
    stores(first: 10) { edges { node { name shippingRules { priority warehouse { name kind } } } } }
  }
`);

const IngestOrder = graphql(`
  mutation ShippingRulesIngest($input: IngestOrdersInput!) {
    ingestOrders(input: $input) {
      results { order { id status pushEligibility { eligible reasons { code } } } }
      userErrors { field code }
    }
  }
`);

const OrderEligibility = graphql(`
  query ShippingRulesOrder($id: ID!) {
    node(id: $id) { ... on Order { pushEligibility { eligible reasons { code } } items { warehouse { name } } } }
  }
`);

describe('warehouse shipping rules', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let storeId: string;
  const warehouses: Record<'north' | 'south' | 'east' | 'closed', string> = { north: '', south: '', east: '', closed: '' };

  beforeAll(async () => {
    t = await TestApp.create();
    merchant = t.merchant;
    const store = await t.db.prisma.store.create({
      data: { merchantId: merchant.id, channel: 'SHOPEE', country: 'ID', name: 'Toko Biru', externalId: 'shp-rules' },
    });
    storeId = encodeGlobalID('Store', store.id);
    for (const name of Object.keys(warehouses) as (keyof typeof warehouses)[]) {
      const warehouse = await t.db.prisma.warehouse.create({
        data: { merchantId: merchant.id, kind: 'OWN', name, status: name === 'closed' ? 'DISABLED' : 'ACTIVE' },
      });
      warehouses[name] = encodeGlobalID('Warehouse', warehouse.id);
    }
  });
  afterAll(() => t?.close());

  const rulesOf = async (id: string) => {
    const { node } = await t.data(StoreRules, { id });
    return node && 'shippingRules' in node ? node.shippingRules.map((rule) => [rule.priority, rule.warehouse.name]) : null;
  };

  it('sets a store’s warehouses in priority order', async () => {
    // when
    const { setShippingRules } = await t.data(SetShippingRules, {
      input: { storeId, warehouseIds: [warehouses.south, warehouses.north] },
    });

    // then
    expect(setShippingRules.userErrors).toEqual([]);
    expect(setShippingRules.store?.shippingRules).toEqual([
      { priority: 1, warehouse: { name: 'south' } },
      { priority: 2, warehouse: { name: 'north' } },
    ]);
  });

  it('replaces the whole list, reordering and dropping warehouses', async () => {
    // given
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.south, warehouses.north] } });

    // when
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.east, warehouses.south] } }, { token: merchant.staffToken });

    // then
    expect(await rulesOf(storeId)).toEqual([
      [1, 'east'],
      [2, 'south'],
    ]);
    expect(await t.db.prisma.shippingRule.count({ where: { merchantId: merchant.id } })).toBe(2);
  });

  it('removes every rule with an empty list', async () => {
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.north] } });

    const { setShippingRules } = await t.data(SetShippingRules, { input: { storeId, warehouseIds: [] } });

    expect(setShippingRules.store?.shippingRules).toEqual([]);
  });

  it('reports every bad warehouse with its index, and changes nothing', async () => {
    // given
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.north] } });
    const other = await t.createMerchant('Rules neighbour');
    const foreign = await t.db.prisma.warehouse.create({ data: { merchantId: other.id, kind: 'OWN', name: 'foreign' } });

    // when
    const { setShippingRules } = await t.data(SetShippingRules, {
      input: {
        storeId,
        warehouseIds: [
          warehouses.south,
          warehouses.south,
          encodeGlobalID('Warehouse', foreign.id),
          warehouses.closed,
          'garbage',
          storeId,
        ],
      },
    });

    // then
    expect(setShippingRules.store).toBeNull();
    expect(setShippingRules.userErrors).toEqual([
      { field: ['input', 'warehouseIds', '1'], message: 'The warehouse is listed twice', code: 'DUPLICATE', index: 1 },
      { field: ['input', 'warehouseIds', '2'], message: 'No such warehouse', code: 'NOT_FOUND', index: 2 },
      {
        field: ['input', 'warehouseIds', '3'],
        message: 'The warehouse is disabled; only active warehouses can ship orders',
        code: 'WAREHOUSE_INACTIVE',
        index: 3,
      },
      { field: ['input', 'warehouseIds', '4'], message: 'No such warehouse', code: 'NOT_FOUND', index: 4 },
      { field: ['input', 'warehouseIds', '5'], message: 'No such warehouse', code: 'NOT_FOUND', index: 5 },
    ]);
    expect(await rulesOf(storeId)).toEqual([[1, 'north']]);
  });

  it("refuses another merchant's store, and more than 50 warehouses", async () => {
    const other = await t.createMerchant('Store owner elsewhere');
    const foreignStore = await t.db.prisma.store.create({
      data: { merchantId: other.id, channel: 'LAZADA', country: 'TH', name: 'Not yours', externalId: 'lzd-x' },
    });

    const foreign = await t.data(SetShippingRules, {
      input: { storeId: encodeGlobalID('Store', foreignStore.id), warehouseIds: [warehouses.north] },
    });
    const tooMany = await t.data(SetShippingRules, { input: { storeId, warehouseIds: Array(51).fill(warehouses.north) } });

    expect(foreign.setShippingRules.userErrors).toEqual([{ field: ['input', 'storeId'], message: 'No such store', code: 'NOT_FOUND', index: null }]);
    expect(tooMany.setShippingRules.userErrors).toEqual([
      { field: ['input', 'warehouseIds'], message: 'give at most 50 warehouses', code: 'INVALID', index: null },
    ]);
    expect(await t.db.prisma.shippingRule.count({ where: { storeId: foreignStore.id } })).toBe(0);
  });

  it('ends with one whole list when two replacements race', async () => {
    const lists = [
      [warehouses.north, warehouses.south],
      [warehouses.east],
      [warehouses.south, warehouses.east, warehouses.north],
    ];

    const results = await Promise.all(lists.map((warehouseIds) => t.data(SetShippingRules, { input: { storeId, warehouseIds } })));

    expect(results.flatMap(({ setShippingRules }) => setShippingRules.userErrors)).toEqual([]);
    const final = (await rulesOf(storeId))!.map(([, name]) => name);
    expect([['north', 'south'], ['east'], ['south', 'east', 'north']]).toContainEqual(final);
  });

  it('lets only OWNER and STAFF set rules', async () => {
    const input = { storeId, warehouseIds: [warehouses.east] };

    const service = await t.execute(SetShippingRules, { input }, { token: merchant.serviceToken });
    const support = await t.execute(SetShippingRules, { input }, { token: t.supportToken, merchantId: merchant.id });

    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(support.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows the rules under every store of a list', async () => {
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.east, warehouses.north] } });

    const { stores } = await t.data(StoresWithRules);

    expect(stores.edges.map((edge) => [edge.node.name, edge.node.shippingRules.map((rule) => rule.warehouse.name)])).toEqual([
      ['Toko Biru', ['east', 'north']],
    ]);
  });

  it('re-allocates the store’s open orders when its rules change', async () => {
    // given: an order whose SKU sits only in a warehouse outside the rules
    const mug = await t.db.prisma.masterSku.create({ data: { merchantId: merchant.id, sku: 'RULE-MUG', name: 'Mug' } });
    const jd = await createThirdPartyWarehouse(t, merchant.id, { provider: 'JD', code: 'BKK1', name: 'BKK1-EBU1-pin' });
    await t.db.prisma.warehouseProduct.create({ data: { merchantId: merchant.id, warehouseId: jd.id, masterSkuId: mug.id } });
    const store = await t.db.prisma.store.findFirstOrThrow({ where: { merchantId: merchant.id } });
    await t.db.prisma.channelSku.create({ data: { merchantId: merchant.id, storeId: store.id, code: 'SHP-MUG', masterSkuId: mug.id } });
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.north] } });
    const { ingestOrders } = await t.data(
      IngestOrder,
      {
        input: {
          orders: [
            {
              storeId,
              channelOrderNo: 'RULES-1',
              channel: 'SHOPEE',
              country: 'ID',
              status: 'READY_TO_SHIP',
              shippingType: 'EXPRESS',
              trackingNumber: 'JX-1',
              items: [{ channelSkuCode: 'SHP-MUG', quantity: 1 }],
            },
          ],
        },
      },
      { token: merchant.serviceToken },
    );
    const order = ingestOrders.results[0]!.order!;
    expect(order.pushEligibility.reasons.map((reason) => reason.code)).toEqual(['SKU_NOT_IN_WAREHOUSE']);

    // when
    await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouses.north, encodeGlobalID('Warehouse', jd.id)] } });

    // then
    const { node } = await t.data(OrderEligibility, { id: order.id });
    expect(node).toEqual({ pushEligibility: { eligible: true, reasons: [] }, items: [{ warehouse: { name: 'BKK1-EBU1-pin' } }] });
  });
});
