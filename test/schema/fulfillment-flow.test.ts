// The README's worked example, end to end: catalogue → warehouse → shipping rule → order →
// push eligibility, and eligibility kept current when the merchant fixes what blocked it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { TestApp } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const CreateSku = graphql(`
  mutation FlowCreateSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) { masterSku { id sku } userErrors { field message code } }
  }
`);

const CreateStore = graphql(`
  mutation FlowCreateStore($input: CreateStoreInput!) {
    createStore(input: $input) { store { id } userErrors { field message code } }
  }
`);

const AddProducts = graphql(`
  mutation FlowAddProducts($input: AddProductsToWarehouseInput!) {
    addProductsToWarehouse(input: $input) { newlyPlaced userErrors { field message code } }
  }
`);

const LinkChannelSkus = graphql(`
  mutation FlowLinkChannelSkus($input: LinkChannelSkusInput!) {
    linkChannelSkus(input: $input) { channelSkus { code } userErrors { field message code } }
  }
`);

const SetShippingRules = graphql(`
  mutation FlowSetShippingRules($input: SetShippingRulesInput!) {
    setShippingRules(input: $input) { store { shippingRules { priority warehouse { name } } } userErrors { field message code } }
  }
`);

const IngestOrders = graphql(`
  mutation FlowIngestOrders($input: IngestOrdersInput!) {
    ingestOrders(input: $input) {
      results { index outcome order { id } }
      userErrors { field message code index }
    }
  }
`);

const OrderEligibility = graphql(`
  query FlowOrderEligibility($id: ID!) {
    node(id: $id) {
      ... on Order {
        status
        items { channelSkuCode masterSku { sku } warehouse { name } }
        pushEligibility { eligible reasons { code message } }
      }
    }
  }
`);

describe('from a new SKU to an order ready for the 3PL warehouse', () => {
  let t: TestApp;
  let storeId: string;
  let warehouseId: string;
  let skuId: string;
  let orderId: string;

  beforeAll(async () => {
    t = await TestApp.create();
    warehouseId = (await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'ECCANG', code: 'TH01', name: 'TH01ACME' })).globalId;
    skuId = (await t.data(CreateSku, { input: { sku: 'MUG-RED', name: 'Red mug' } })).createMasterSku.masterSku!.id;
    storeId = (await t.data(CreateStore, { input: { channel: 'SHOPEE', country: 'TH', name: 'Acme TH', externalId: 'shp-9' } }))
      .createStore.store!.id;
    const rules = await t.data(SetShippingRules, { input: { storeId, warehouseIds: [warehouseId] } });
    expect(rules.setShippingRules.userErrors).toEqual([]);

    const ingested = await t.data(
      IngestOrders,
      {
        input: {
          orders: [
            {
              storeId,
              channelOrderNo: 'SHP-0001',
              channel: 'SHOPEE',
              country: 'TH',
              status: 'READY_TO_SHIP',
              shippingType: 'EXPRESS',
              logisticsProvider: 'Kerry',
              trackingNumber: 'KER123',
              items: [{ channelSkuCode: 'SHP-MUG-RED', quantity: 2 }],
            },
          ],
        },
      },
      { token: t.merchant.serviceToken },
    );
    expect(ingested.ingestOrders.userErrors).toEqual([]);
    orderId = ingested.ingestOrders.results[0]!.order!.id;
  });
  afterAll(() => t?.close());

  const reasonsOf = async () => {
    const { node } = await t.data(OrderEligibility, { id: orderId });
    return node && 'pushEligibility' in node ? node.pushEligibility : null;
  };

  it('first says the channel SKU is not linked to a Master SKU', async () => {
    expect(await reasonsOf()).toMatchObject({ eligible: false, reasons: [{ code: 'SKU_NOT_LINKED' }] });
  });

  it('after linking, says the Master SKU is not placed in the warehouse', async () => {
    await t.data(LinkChannelSkus, { input: { links: [{ storeId, channelSkuCode: 'SHP-MUG-RED', masterSku: 'MUG-RED' }] } });

    expect(await reasonsOf()).toMatchObject({ eligible: false, reasons: [{ code: 'SKU_NOT_IN_WAREHOUSE' }] });
  });

  it('after placing the SKU in the warehouse, the order is eligible and allocated there', async () => {
    const placed = await t.data(AddProducts, { input: { warehouseId, masterSkuIds: [skuId] } });

    expect(placed.addProductsToWarehouse.newlyPlaced).toBe(1);
    expect(await reasonsOf()).toEqual({ eligible: true, reasons: [] });
    const { node } = await t.data(OrderEligibility, { id: orderId });
    expect(node).toMatchObject({ items: [{ channelSkuCode: 'SHP-MUG-RED', masterSku: { sku: 'MUG-RED' }, warehouse: { name: 'TH01ACME' } }] });
  });
});
