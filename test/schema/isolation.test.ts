// Tenant isolation across the whole schema: every Node type and every root list, walked with
// a token of another merchant, yields nothing of merchant A. New types and lists are picked up
// from the schema itself, so they cannot be forgotten here.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, GraphQLObjectType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/schema/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const schema = getSchema();
const nodeTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
);
const rootLists = Object.values(schema.getQueryType()!.getFields()).filter(
  (field) => getNamedType(field.type).name.endsWith('Connection') && field.args.every((arg) => !String(arg.type).endsWith('!')),
);

/** Merchant A owns one of everything. */
async function seedMerchantData(t: TestApp, merchantId: string): Promise<void> {
  const prisma = t.db.prisma;
  const store = await prisma.store.create({ data: { merchantId, channel: 'SHOPEE', country: 'TH', name: 'A shop', externalId: 'a-1' } });
  const sku = await prisma.masterSku.create({ data: { merchantId, sku: 'A-SKU', name: 'A product' } });
  const channelSku = await prisma.channelSku.create({ data: { merchantId, storeId: store.id, code: 'A-CH', masterSkuId: sku.id } });
  const warehouse = await createThirdPartyWarehouse(t, merchantId, { provider: 'ECCANG', code: 'TH9', name: 'TH9A' });
  await prisma.shippingRule.create({ data: { merchantId, storeId: store.id, warehouseId: warehouse.id, priority: 1 } });
  await prisma.warehouseProduct.create({ data: { merchantId, warehouseId: warehouse.id, masterSkuId: sku.id } });
  const record = await prisma.stockRecord.create({ data: { merchantId, warehouseId: warehouse.id, masterSkuId: sku.id, onHand: 5 } });
  await prisma.stockMovement.create({
    data: { merchantId, stockRecordId: record.id, reason: 'SYNC_ADJUSTMENT', onHandDelta: 5, actor: 'test', idempotencyKey: 'a-seed' },
  });
  await prisma.inboundList.create({
    data: { merchantId, warehouseId: warehouse.id, code: 'IN-A', lines: { create: [{ masterSkuId: sku.id, quantity: 3 }] } },
  });
  await prisma.order.create({
    data: {
      merchantId,
      storeId: store.id,
      channelOrderNo: 'A-ORDER',
      channel: 'SHOPEE',
      country: 'TH',
      status: 'READY_TO_SHIP',
      shippingType: 'EXPRESS',
      trackingNumber: 'A-TRACK',
      items: { create: [{ channelSkuCode: 'A-CH', channelSkuId: channelSku.id, masterSkuId: sku.id, warehouseId: warehouse.id, quantity: 1 }] },
    },
  });
}

/** One global id per Node type, found through the model of the same name. */
async function sampleIds(t: TestApp, merchantId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const type of nodeTypes) {
    const delegate = (t.db.prisma as unknown as Record<string, { findFirst(args: object): Promise<{ id: string } | null> }>)[
      type.name[0]!.toLowerCase() + type.name.slice(1)
    ];
    const where = type.name === 'Merchant' ? { id: merchantId } : { merchantId };
    const row = await delegate?.findFirst({ where });
    if (row) ids.set(type.name, encodeGlobalID(type.name, row.id));
  }
  return ids;
}

describe('another merchant sees nothing of merchant A', () => {
  let t: TestApp;
  let intruder: TestMerchant;
  let ids: Map<string, string>;

  beforeAll(async () => {
    t = await TestApp.create();
    intruder = await t.createMerchant('Intruder');
    await seedMerchantData(t, t.merchant.id);
    ids = await sampleIds(t, t.merchant.id);
  });
  afterAll(() => t?.close());

  it('has a sample of merchant A for every Node type in the schema', () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(10);
    expect(nodeTypes.map((type) => type.name).filter((name) => !ids.has(name))).toEqual([]);
  });

  it.each(nodeTypes.map((type) => type.name))('%s: merchant A reads it through node(id:), the intruder gets null', async (typeName) => {
    const query = 'query Node($id: ID!) { node(id: $id) { id __typename } }';
    const call = (token: string) =>
      t.app
        .fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables: { id: ids.get(typeName) } }),
        })
        .then((response) => response.json() as Promise<{ data?: { node: unknown }; errors?: unknown[] }>);

    const own = await call(t.merchant.ownerToken);
    const foreign = await call(intruder.ownerToken);

    expect(own).toEqual({ data: { node: { id: ids.get(typeName), __typename: typeName } } });
    expect(foreign).toEqual({ data: { node: null } });
  });

  it.each(rootLists.map((field) => field.name).filter((name) => name !== 'merchants'))(
    '%s: the intruder’s list holds none of merchant A’s rows',
    async (listName) => {
      const query = `{ ${listName}(first: 100) { totalCount edges { node { id } } } }`;
      const ask = (token: string) =>
        t.app
          .fetch('http://gateway.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query }),
          })
          .then((response) => response.json() as Promise<{ data: Record<string, { totalCount: number; edges: { node: { id: string } }[] }> }>);

      const own = (await ask(t.merchant.ownerToken)).data[listName]!;
      const foreign = (await ask(intruder.ownerToken)).data[listName]!;

      expect(own.totalCount).toBeGreaterThan(0);
      expect(foreign).toEqual({ totalCount: 0, edges: [] });
    },
  );
});
