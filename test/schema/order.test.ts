import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../src/generated/prisma/enums.ts';
import type { FulfillmentChanges, OrderWriteOptions } from '../../src/services/order-writes.ts';
import { acceptOrderCancellation, ingestOrders, requestOrderCancellation } from '../../src/services/order.service.ts';
import { graphql } from '../generated/index.ts';
import type { ChannelOrderInput, OrderListQueryVariables } from '../generated/graphql.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';

const IngestOrders = graphql(`
  mutation OrderIngest($input: IngestOrdersInput!) {
    ingestOrders(input: $input) {
      results {
        index
        outcome
        order {
          id
          channelOrderNo
          status
          trackingNumber
          logisticsProvider
          pushEligibility { eligible reasons { code message } }
        }
      }
      userErrors { field message code index }
    }
  }
`);

const OrderDetail = graphql(`
  query OrderDetail($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Order {
        channelOrderNo
        channel
        country
        status
        shippingType
        trackingNumber
        cancellationStatus
        recipientName
        store { name }
        items { channelSkuCode quantity unitPriceMinor channelSku { code } masterSku { sku } warehouse { name } }
        pushEligibility { eligible reasons { code } }
      }
    }
  }
`);

const Orders = graphql(`
  query OrderList($first: Int, $filter: OrderFilter, $sortBy: OrderSort) {
    orders(first: $first, filter: $filter, sortBy: $sortBy) {
      totalCount
      edges { node { id channelOrderNo status } }
    }
  }
`);

const OrdersNested = graphql(`
  query OrderListNested($first: Int) {
    orders(first: $first) {
      edges { node { channelOrderNo store { name } items { quantity masterSku { sku } warehouse { name } } } }
    }
  }
`);

const UpdateOrderStatus = graphql(`
  mutation OrderUpdateStatus($id: ID!, $input: UpdateOrderStatusInput!) {
    updateOrderStatus(id: $id, input: $input) {
      order { id status trackingNumber logisticsProvider pushEligibility { eligible reasons { code } } }
      userErrors { field message code }
    }
  }
`);

const RequestCancellation = graphql(`
  mutation OrderRequestCancellation($id: ID!) {
    requestOrderCancellation(id: $id) {
      order { id status cancellationStatus pushEligibility { reasons { code } } }
      userErrors { field message code }
    }
  }
`);

const AcceptCancellation = graphql(`
  mutation OrderAcceptCancellation($id: ID!) {
    acceptOrderCancellation(id: $id) {
      order { id status cancellationStatus pushEligibility { reasons { code } } }
      userErrors { field message code }
    }
  }
`);

const SetRules = graphql(`
  mutation OrderSetRules($input: SetShippingRulesInput!) {
    setShippingRules(input: $input) { userErrors { field message code } }
  }
`);

const CatalogueRead = graphql(`
  query OrderCatalogueRead {
    masterSkus(first: 1) { totalCount }
  }
`);

/** A merchant with three stores, four warehouses and five Master SKUs, each placed differently. */
interface World {
  merchant: TestMerchant;
  stores: { shopee: string; shopify: string; woo: string };
  warehouseNames: { eccang: string; jd: string; own: string; dormant: string };
}

async function buildWorld(t: TestApp, name: string): Promise<World> {
  const merchant = await t.createMerchant(name);
  const merchantId = merchant.id;
  const prisma = t.db.prisma;
  const thirdParty = (provider: Provider, code: string, integrationStatus: 'ACTIVE' | 'DISABLED') =>
    createThirdPartyWarehouse(t, merchantId, { provider, code, name: `${code}CUST1`, integrationStatus });
  const eccang = await thirdParty('ECCANG', 'TH01', 'ACTIVE');
  const jd = await thirdParty('JD', 'WH9', 'ACTIVE');
  const dormant = await thirdParty('ECCANG', 'ID02', 'DISABLED');
  const own = await prisma.warehouse.create({ data: { merchantId, kind: 'OWN', name: 'Home shelf' } });

  const placedIn = { MUG: eccang, PLATE: jd, BOWL: own, CUP: null, VASE: dormant };
  const skuIds = new Map<string, string>();
  for (const [sku, warehouse] of Object.entries(placedIn)) {
    const masterSku = await prisma.masterSku.create({ data: { merchantId, sku, name: sku.toLowerCase() } });
    skuIds.set(sku, masterSku.id);
    if (warehouse) await prisma.warehouseProduct.create({ data: { merchantId, warehouseId: warehouse.id, masterSkuId: masterSku.id } });
  }
  const store = async (channel: 'SHOPEE' | 'SHOPIFY' | 'WOOCOMMERCE', country: 'TH' | 'ID') => {
    const created = await prisma.store.create({ data: { merchantId, channel, country, name: `${name} ${channel}`, externalId: channel } });
    await prisma.channelSku.createMany({
      data: [...skuIds].map(([sku, masterSkuId]) => ({ merchantId, storeId: created.id, code: `${sku}-CH`, masterSkuId })),
    });
    const storeId = encodeGlobalID('Store', created.id);
    const { setShippingRules } = await t.data(
      SetRules,
      { input: { storeId, warehouseIds: [eccang, jd, own, dormant].map((warehouse) => encodeGlobalID('Warehouse', warehouse.id)) } },
      { token: merchant.ownerToken },
    );
    expect(setShippingRules.userErrors).toEqual([]);
    return storeId;
  };
  return {
    merchant,
    stores: { shopee: await store('SHOPEE', 'TH'), shopify: await store('SHOPIFY', 'TH'), woo: await store('WOOCOMMERCE', 'ID') },
    warehouseNames: { eccang: eccang.name, jd: jd.name, own: own.name, dormant: dormant.name },
  };
}

/** A Shopee order ECCANG can take: Thailand, express, tracked, one MUG. */
function shopeeOrder(world: World, channelOrderNo: string, change: Partial<ChannelOrderInput> = {}): ChannelOrderInput {
  return {
    storeId: world.stores.shopee,
    channelOrderNo,
    channel: 'SHOPEE',
    country: 'TH',
    status: 'READY_TO_SHIP',
    shippingType: 'EXPRESS',
    logisticsProvider: 'SPX Express',
    trackingNumber: `SPXTH${channelOrderNo}`,
    recipientName: 'Somchai',
    items: [{ channelSkuCode: 'MUG-CH', quantity: 2, unitPriceMinor: 15_000 }],
    ...change,
  };
}

describe('orders', () => {
  let t: TestApp;
  let world: World;
  const ingest = (orders: ChannelOrderInput[], token = world.merchant.serviceToken) =>
    t.data(IngestOrders, { input: { orders } }, { token }).then((data) => data.ingestOrders);

  beforeAll(async () => {
    t = await TestApp.create();
    world = await buildWorld(t, 'Orders merchant');
  });
  afterAll(() => t?.close());

  describe('push eligibility, end to end', () => {
    it.each<[string, Partial<ChannelOrderInput>, string[]]>([
      ['an eligible order', {}, []],
      ['an order allocated to the own warehouse', { items: [{ channelSkuCode: 'BOWL-CH', quantity: 1 }] }, ['NOT_THIRD_PARTY']],
      ['an unpaid order', { status: 'UNPAID' }, ['NOT_PAID']],
      ['a cancelled order', { status: 'CANCELLED' }, ['ORDER_CANCELLED']],
      ['an order already shipping', { status: 'SHIPPING' }, ['ALREADY_SHIPPING']],
      ['an order to Malaysia through ECCANG', { country: 'MY' }, ['UNSUPPORTED_COUNTRY']],
      ['a standard-delivery order', { shippingType: 'STANDARD' }, ['NOT_EXPRESS']],
      ['an order without tracking number', { trackingNumber: null }, ['NO_TRACKING_NUMBER']],
      ['an order with an unknown channel SKU', { items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'NEVER-SEEN', quantity: 1 }] }, ['SKU_NOT_LINKED']],
      ['an order with a SKU placed nowhere', { items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'CUP-CH', quantity: 1 }] }, ['SKU_NOT_IN_WAREHOUSE']],
      ['an order split over ECCANG and JD', { items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'PLATE-CH', quantity: 1 }] }, ['MIXED_WAREHOUSES']],
      ['an order for a warehouse whose integration is disabled', { items: [{ channelSkuCode: 'VASE-CH', quantity: 1 }] }, ['INTEGRATION_INACTIVE']],
      [
        'an order with many problems at once',
        {
          country: 'VN',
          shippingType: 'ECONOMY',
          trackingNumber: null,
          items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'VASE-CH', quantity: 1 }, { channelSkuCode: 'CUP-CH', quantity: 1 }],
        },
        ['UNSUPPORTED_COUNTRY', 'NOT_EXPRESS', 'NO_TRACKING_NUMBER', 'SKU_NOT_IN_WAREHOUSE', 'MIXED_WAREHOUSES', 'INTEGRATION_INACTIVE'],
      ],
    ])('stores and shows the reasons of %s', async (name, change, reasons) => {
      // given / when
      const { results, userErrors } = await ingest([shopeeOrder(world, `E2E-${name}`, change)]);

      // then
      expect(userErrors).toEqual([]);
      expect(results).toMatchObject([{ index: 0, outcome: 'CREATED' }]);
      const eligibility = results[0]!.order!.pushEligibility;
      expect(eligibility.eligible).toBe(reasons.length === 0);
      expect(eligibility.reasons.map((reason) => reason.code)).toEqual(reasons);
      expect(eligibility.reasons.every((reason) => reason.message.length > 20)).toBe(true);
    });

    it.each([
      ['Shopify', 'shopify', 'SHOPIFY'],
      ['WooCommerce', 'woo', 'WOOCOMMERCE'],
    ] as const)('refuses %s orders as UNSUPPORTED_CHANNEL', async (_name, store, channel) => {
      const { results } = await ingest([shopeeOrder(world, `CHANNEL-${channel}`, { storeId: world.stores[store], channel, country: 'ID' })]);

      expect(results[0]!.order!.pushEligibility.reasons.map((reason) => reason.code)).toEqual(['UNSUPPORTED_CHANNEL']);
    });

    it('allocates each item by the shipping rules and shows where it goes', async () => {
      // given
      const { results } = await ingest([
        shopeeOrder(world, 'ALLOC-1', {
          items: [
            { channelSkuCode: 'MUG-CH', quantity: 1, unitPriceMinor: 100 },
            { channelSkuCode: 'PLATE-CH', quantity: 3 },
            { channelSkuCode: 'NEW-LISTING', quantity: 1 },
          ],
        }),
      ]);

      // when
      const { node } = await t.data(OrderDetail, { id: results[0]!.order!.id }, { token: world.merchant.staffToken });

      // then
      expect(node).toMatchObject({ channelOrderNo: 'ALLOC-1', store: { name: 'Orders merchant SHOPEE' }, recipientName: 'Somchai' });
      const items = node?.__typename === 'Order' ? node.items : [];
      expect(items.map((item) => [item.channelSkuCode, item.masterSku?.sku ?? null, item.warehouse?.name ?? null]).sort()).toEqual([
        ['MUG-CH', 'MUG', world.warehouseNames.eccang],
        ['NEW-LISTING', null, null],
        ['PLATE-CH', 'PLATE', world.warehouseNames.jd],
      ]);
      expect(items.find((item) => item.channelSkuCode === 'NEW-LISTING')?.channelSku?.code).toBe('NEW-LISTING');
    });
  });

  describe('ingestion', () => {
    it('is idempotent on store and channel order number: no duplicate orders or items', async () => {
      // given
      const orders = [shopeeOrder(world, 'IDEM-1'), shopeeOrder(world, 'IDEM-2', { items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'PLATE-CH', quantity: 1 }] })];
      const first = await ingest(orders);

      // when
      const second = await ingest(orders);

      // then
      expect(first.results.map((result) => result.outcome)).toEqual(['CREATED', 'CREATED']);
      expect(second.results.map((result) => result.outcome)).toEqual(['UNCHANGED', 'UNCHANGED']);
      expect(second.results.map((result) => result.order!.id)).toEqual(first.results.map((result) => result.order!.id));
      const stored = await t.db.prisma.order.findMany({ where: { channelOrderNo: { in: ['IDEM-1', 'IDEM-2'] } }, include: { items: true } });
      expect(stored).toHaveLength(2);
      expect(stored.flatMap((order) => order.items)).toHaveLength(3);
    });

    it('updates status, tracking number and logistics provider, and re-checks eligibility', async () => {
      // given
      const created = await ingest([shopeeOrder(world, 'TRACK-1', { trackingNumber: null, logisticsProvider: null })]);

      // when
      const updated = await ingest([shopeeOrder(world, 'TRACK-1', { trackingNumber: 'SPXTH-NEW', logisticsProvider: 'Flash' })]);
      const kept = await ingest([shopeeOrder(world, 'TRACK-1', { status: 'SHIPPING', trackingNumber: null, logisticsProvider: null })]);

      // then
      expect(created.results[0]!.order!.pushEligibility.reasons.map((reason) => reason.code)).toEqual(['NO_TRACKING_NUMBER']);
      expect(updated.results[0]).toMatchObject({ outcome: 'UPDATED', order: { trackingNumber: 'SPXTH-NEW', logisticsProvider: 'Flash', pushEligibility: { eligible: true } } });
      expect(kept.results[0]).toMatchObject({ outcome: 'UPDATED', order: { status: 'SHIPPING', trackingNumber: 'SPXTH-NEW', logisticsProvider: 'Flash' } });
      expect(kept.results[0]!.order!.pushEligibility.reasons.map((reason) => reason.code)).toEqual(['ALREADY_SHIPPING']);
    });

    it('never moves a status backwards: the old status stays, the rest of the row applies, and it is reported', async () => {
      // given
      await ingest([shopeeOrder(world, 'MONO-1', { status: 'DELIVERED' })]);

      // when
      const { results, userErrors } = await ingest([shopeeOrder(world, 'MONO-1', { status: 'READY_TO_SHIP', trackingNumber: 'LATE-TRACK' })]);

      // then
      expect(results[0]).toMatchObject({ outcome: 'UPDATED', order: { status: 'DELIVERED', trackingNumber: 'LATE-TRACK' } });
      expect(userErrors).toEqual([
        {
          field: ['input', 'orders', '0', 'status'],
          message: 'The order is delivered; a status never moves back, so READY_TO_SHIP was ignored',
          code: 'STATUS_REGRESSION',
          index: 0,
        },
      ]);
    });

    it('follows an unpaid order wholly, and keeps its items and recipient once it is paid', async () => {
      // given
      const channelCreatedAt = '2026-11-20T03:04:05.678Z';
      await ingest([shopeeOrder(world, 'ITEMS-1', { status: 'UNPAID', channelCreatedAt, items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }] })]);

      // when
      const edited = await ingest([shopeeOrder(world, 'ITEMS-1', { status: 'UNPAID', channelCreatedAt, recipientName: 'Malee', items: [{ channelSkuCode: 'MUG-CH', quantity: 4 }] })]);
      const paid = await ingest([shopeeOrder(world, 'ITEMS-1', { channelCreatedAt, recipientName: 'Malee', items: [{ channelSkuCode: 'MUG-CH', quantity: 4 }] })]);
      const changed = await ingest([shopeeOrder(world, 'ITEMS-1', { recipientName: 'Too late', items: [{ channelSkuCode: 'PLATE-CH', quantity: 9 }] })]);

      // then
      expect(edited.results[0]!.outcome).toBe('UPDATED');
      expect(paid.results[0]!.order).toMatchObject({ status: 'READY_TO_SHIP', pushEligibility: { eligible: true } });
      expect(paid.userErrors).toEqual([]);
      expect(changed.results[0]!.outcome).toBe('UNCHANGED');
      expect(changed.userErrors).toEqual([
        {
          field: ['input', 'orders', '0', 'items'],
          message: 'Items are fixed once an order is paid; the new item list was ignored',
          code: 'ITEMS_LOCKED',
          index: 0,
        },
      ]);
      const stored = await t.db.prisma.order.findFirstOrThrow({ where: { channelOrderNo: 'ITEMS-1' }, include: { items: true } });
      expect(stored.recipientName).toBe('Malee');
      expect(stored.channelCreatedAt?.toISOString()).toBe(channelCreatedAt);
      expect(stored.items.map((item) => [item.channelSkuCode, item.quantity])).toEqual([['MUG-CH', 4]]);
    });

    it('accepts the good rows of a batch and rejects the bad ones, each problem with its index and path', async () => {
      // given
      const other = await buildWorld(t, 'Batch neighbour');

      // when
      const { results, userErrors } = await ingest([
        shopeeOrder(world, 'BATCH-OK-1'),
        shopeeOrder(world, 'BATCH-FOREIGN', { storeId: other.stores.shopee }),
        shopeeOrder(world, 'BATCH-CHANNEL', { channel: 'LAZADA' }),
        shopeeOrder(world, ' ', { items: [{ channelSkuCode: 'MUG-CH', quantity: 0 }] }),
        shopeeOrder(world, 'BATCH-OK-1'),
        shopeeOrder(world, 'BATCH-NO-ITEMS', { items: [] }),
        shopeeOrder(world, 'BATCH-OK-2', { storeId: 'not-a-global-id' }),
        shopeeOrder(world, 'BATCH-OK-3'),
      ]);

      // then
      expect(results.map((result) => result.outcome)).toEqual(['CREATED', 'REJECTED', 'REJECTED', 'REJECTED', 'REJECTED', 'REJECTED', 'REJECTED', 'CREATED']);
      expect(results.map((result) => result.order?.channelOrderNo ?? null)).toEqual(['BATCH-OK-1', null, null, null, null, null, null, 'BATCH-OK-3']);
      expect(userErrors).toEqual([
        { field: ['input', 'orders', '1', 'storeId'], message: 'No such store', code: 'NOT_FOUND', index: 1 },
        { field: ['input', 'orders', '2', 'channel'], message: 'The store sells on SHOPEE, not LAZADA', code: 'CHANNEL_MISMATCH', index: 2 },
        { field: ['input', 'orders', '3', 'channelOrderNo'], message: 'channelOrderNo must not be blank', code: 'INVALID', index: 3 },
        { field: ['input', 'orders', '3', 'items', '0', 'quantity'], message: 'quantity must be at least 1', code: 'INVALID', index: 3 },
        { field: ['input', 'orders', '4', 'channelOrderNo'], message: 'This order appears twice in the call', code: 'DUPLICATE', index: 4 },
        { field: ['input', 'orders', '5', 'items'], message: 'items must list at least one item', code: 'INVALID', index: 5 },
        { field: ['input', 'orders', '6', 'storeId'], message: 'No such store', code: 'NOT_FOUND', index: 6 },
      ]);
      expect(await t.db.prisma.order.count({ where: { channelOrderNo: { startsWith: 'BATCH-' } } })).toBe(2);
    });

    it('creates each order once when parallel calls bring the same new orders', async () => {
      // given
      const orders = Array.from({ length: 5 }, (_, index) => shopeeOrder(world, `PARALLEL-${index}`));

      // when
      const calls = await Promise.all(Array.from({ length: 4 }, () => ingest(orders)));

      // then
      expect(calls.flatMap((call) => call.userErrors)).toEqual([]);
      orders.forEach((_order, index) => {
        const outcomes = calls.map((call) => call.results[index]!.outcome).sort();
        expect(outcomes).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
      });
      expect(await t.db.prisma.order.count({ where: { channelOrderNo: { startsWith: 'PARALLEL-' } } })).toBe(5);
      expect(await t.db.prisma.orderItem.count({ where: { order: { channelOrderNo: { startsWith: 'PARALLEL-' } } } })).toBe(5);
    });

    it('writes a batch in a fixed number of SQL statements, whatever its size, new or updated', async () => {
      // given
      const batch = (prefix: string, size: number, change: Partial<ChannelOrderInput> = {}) =>
        Array.from({ length: size }, (_, index) =>
          shopeeOrder(world, `${prefix}-${index}`, {
            items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: `${prefix}-NEW-${index}`, quantity: 1 }],
            ...change,
          }),
        );
      const statementsFor = async (orders: ChannelOrderInput[], outcome: string) => {
        const before = t.db.statements.count;
        const { results } = await ingest(orders);
        expect(results.every((result) => result.outcome === outcome)).toBe(true);
        return t.db.statements.count - before;
      };
      await ingest([shopeeOrder(world, 'WARM-UP')]);

      // when
      const created = [await statementsFor(batch('SMALL', 10), 'CREATED'), await statementsFor(batch('LARGE', 100), 'CREATED')];
      const updated = [
        await statementsFor(batch('SMALL', 10, { status: 'SHIPPING' }), 'UPDATED'),
        await statementsFor(batch('LARGE', 100, { status: 'SHIPPING' }), 'UPDATED'),
      ];

      // then
      expect(created[1]).toBe(created[0]);
      expect(updated[1]).toBe(updated[0]);
    });

    it('refuses more than 500 orders in one call and writes none', async () => {
      const orders = Array.from({ length: 501 }, (_, index) => shopeeOrder(world, `BULK-${index}`));

      const { results, userErrors } = await ingest(orders);

      expect(results).toEqual([]);
      expect(userErrors).toEqual([{ field: ['input', 'orders'], message: 'give 1 to 500 orders', code: 'INVALID', index: null }]);
      expect(await t.db.prisma.order.count({ where: { channelOrderNo: { startsWith: 'BULK-' } } })).toBe(0);
    });

    it('creates unknown channel SKUs unlinked, and picks up a link made later on the next update', async () => {
      // given
      const first = await ingest([shopeeOrder(world, 'LINK-1', { items: [{ channelSkuCode: 'FRESH-LISTING', quantity: 1 }] })]);
      const channelSku = await t.db.prisma.channelSku.findFirstOrThrow({ where: { code: 'FRESH-LISTING', merchantId: world.merchant.id } });
      const mug = await t.db.prisma.masterSku.findFirstOrThrow({ where: { merchantId: world.merchant.id, sku: 'MUG' } });
      await t.db.prisma.channelSku.update({ where: { id: channelSku.id }, data: { masterSkuId: mug.id } });

      // when
      const second = await ingest([shopeeOrder(world, 'LINK-1', { items: [{ channelSkuCode: 'FRESH-LISTING', quantity: 1 }] })]);

      // then
      expect(channelSku.masterSkuId).toBeNull();
      expect(first.results[0]!.order!.pushEligibility.reasons.map((reason) => reason.code)).toEqual(['SKU_NOT_LINKED']);
      expect(second.results[0]).toMatchObject({ outcome: 'UPDATED', order: { pushEligibility: { eligible: true } } });
      const item = await t.db.prisma.orderItem.findFirstOrThrow({ where: { order: { channelOrderNo: 'LINK-1' } }, include: { warehouse: true } });
      expect(item.warehouse?.name).toBe(world.warehouseNames.eccang);
    });
  });

  describe('updateOrderStatus', () => {
    it('moves the status forward with a new tracking number, and refuses to move it back', async () => {
      // given
      const { results } = await ingest([shopeeOrder(world, 'UPD-1', { trackingNumber: null })]);
      const id = results[0]!.order!.id;
      const service = { token: world.merchant.serviceToken };

      // when
      const tracked = await t.data(UpdateOrderStatus, { id, input: { status: 'READY_TO_SHIP', trackingNumber: 'JNT-1', logisticsProvider: 'J&T' } }, service);
      const shipped = await t.data(UpdateOrderStatus, { id, input: { status: 'SHIPPING' } }, service);
      const back = await t.data(UpdateOrderStatus, { id, input: { status: 'UNPAID' } }, service);

      // then
      expect(tracked.updateOrderStatus.order).toMatchObject({ trackingNumber: 'JNT-1', logisticsProvider: 'J&T', pushEligibility: { eligible: true } });
      expect(shipped.updateOrderStatus.order).toMatchObject({ status: 'SHIPPING', trackingNumber: 'JNT-1', pushEligibility: { reasons: [{ code: 'ALREADY_SHIPPING' }] } });
      expect(back.updateOrderStatus).toMatchObject({
        order: { status: 'SHIPPING' },
        userErrors: [{ field: ['input', 'status'], code: 'STATUS_REGRESSION' }],
      });
    });
  });

  describe('cancellation', () => {
    it('requests, then accepts: the order is cancelled and no longer eligible', async () => {
      // given
      const { results } = await ingest([shopeeOrder(world, 'CANCEL-1')]);
      const id = results[0]!.order!.id;
      expect(results[0]!.order!.pushEligibility.eligible).toBe(true);

      // when
      const requested = await t.data(RequestCancellation, { id }, { token: world.merchant.staffToken });
      const again = await t.data(RequestCancellation, { id }, { token: world.merchant.staffToken });
      const accepted = await t.data(AcceptCancellation, { id }, { token: world.merchant.ownerToken });
      const twice = await t.data(AcceptCancellation, { id }, { token: world.merchant.ownerToken });

      // then
      expect(requested.requestOrderCancellation.order).toEqual({
        id,
        status: 'READY_TO_SHIP',
        cancellationStatus: 'REQUESTED',
        pushEligibility: { reasons: [{ code: 'ORDER_CANCELLED' }] },
      });
      expect(again.requestOrderCancellation.userErrors).toEqual([
        { field: ['id'], message: 'A cancellation is already requested', code: 'CANCELLATION_NOT_ALLOWED' },
      ]);
      expect(accepted.acceptOrderCancellation.order).toMatchObject({ status: 'CANCELLED', cancellationStatus: 'ACCEPTED' });
      expect(twice.acceptOrderCancellation.userErrors).toEqual([
        { field: ['id'], message: 'No cancellation is waiting to be accepted', code: 'CANCELLATION_NOT_ALLOWED' },
      ]);
    });

    it('refuses to accept what was never requested, and to cancel a delivered order', async () => {
      const { results } = await ingest([shopeeOrder(world, 'CANCEL-2'), shopeeOrder(world, 'CANCEL-3', { status: 'DELIVERED' })]);
      const [open, delivered] = results.map((result) => result.order!.id);

      const accept = await t.data(AcceptCancellation, { id: open! }, { token: world.merchant.ownerToken });
      const request = await t.data(RequestCancellation, { id: delivered! }, { token: world.merchant.ownerToken });

      expect(accept.acceptOrderCancellation.userErrors).toMatchObject([{ code: 'CANCELLATION_NOT_ALLOWED' }]);
      expect(request.requestOrderCancellation.userErrors).toEqual([
        { field: ['id'], message: 'A delivered order cannot be cancelled', code: 'CANCELLATION_NOT_ALLOWED' },
      ]);
      const stored = await t.db.prisma.order.findMany({ where: { channelOrderNo: { in: ['CANCEL-2', 'CANCEL-3'] } } });
      expect(stored.map((order) => order.cancellationStatus)).toEqual(['NONE', 'NONE']);
    });

    it('hands eligible and cancelled orders over to the fulfillment flow inside the transaction', async () => {
      // given
      const changes: FulfillmentChanges[] = [];
      const options: OrderWriteOptions = {
        handOverToFulfillment: async (tx, change) => {
          expect(await tx.order.count({ where: { id: { in: [...change.becameEligible, ...change.cancelled] } } })).toBe(
            change.becameEligible.length + change.cancelled.length,
          );
          changes.push(change);
        },
      };
      const store = await t.db.prisma.store.findFirstOrThrow({ where: { merchantId: world.merchant.id, channel: 'SHOPEE' } });
      const row = (no: string, trackingNumber: string | null) => {
        const { channelCreatedAt: _graphqlDateTime, ...order } = shopeeOrder(world, no, { trackingNumber });
        return { ...order, storeId: store.id };
      };

      // when
      const ingested = await ingestOrders(t.contextFor(world.merchant.id, 'SERVICE'), [row('SEAM-1', 'T1'), row('SEAM-2', null)], options);
      const again = await ingestOrders(t.contextFor(world.merchant.id, 'SERVICE'), [row('SEAM-1', 'T1')], options);
      const orderId = ingested.results[0]!.order!.id;
      await requestOrderCancellation(t.contextFor(world.merchant.id, 'OWNER'), orderId, options);
      await acceptOrderCancellation(t.contextFor(world.merchant.id, 'OWNER'), orderId, options);

      // then
      expect(again.results[0]!.outcome).toBe('UNCHANGED');
      expect(changes).toEqual([
        { becameEligible: [orderId], cancelled: [] },
        { becameEligible: [], cancelled: [orderId] },
      ]);
    });
  });

  describe('roles and tenants', () => {
    it('lets only the SERVICE token ingest orders', async () => {
      const orders = [shopeeOrder(world, 'ROLE-1')];

      for (const token of [world.merchant.ownerToken, world.merchant.staffToken]) {
        const result = await t.execute(IngestOrders, { input: { orders } }, { token });
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      const support = await t.execute(IngestOrders, { input: { orders } }, { token: t.supportToken, merchantId: world.merchant.id });
      expect(support.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await t.db.prisma.order.count({ where: { channelOrderNo: 'ROLE-1' } })).toBe(0);
    });

    it('keeps the SERVICE token out of the catalogue, the order list and the cancel flow', async () => {
      const { results } = await ingest([shopeeOrder(world, 'ROLE-2')]);
      const service = { token: world.merchant.serviceToken };

      const catalogue = await t.execute(CatalogueRead, {}, service);
      const list = await t.execute(Orders, { first: 5 }, service);
      const cancel = await t.execute(RequestCancellation, { id: results[0]!.order!.id }, service);
      const update = await t.execute(UpdateOrderStatus, { id: results[0]!.order!.id, input: { status: 'SHIPPING' } }, { token: world.merchant.ownerToken });

      for (const result of [catalogue, list, cancel, update]) expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it("lets SUPPORT read a merchant's orders but not cancel them", async () => {
      const { results } = await ingest([shopeeOrder(world, 'ROLE-3')]);
      const support = { token: t.supportToken, merchantId: world.merchant.id };

      const read = await t.data(Orders, { first: 5, filter: { text: 'ROLE-3' } }, support);
      const cancel = await t.execute(RequestCancellation, { id: results[0]!.order!.id }, support);

      expect(read.orders.edges.map((edge) => edge.node.channelOrderNo)).toEqual(['ROLE-3']);
      expect(cancel.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it("keeps merchant B away from merchant A's stores and orders", async () => {
      // given
      const { results } = await ingest([shopeeOrder(world, 'TENANT-A')]);
      const orderOfA = results[0]!.order!.id;
      const merchantB = await t.createMerchant('Tenant B');

      // when
      const intoA = await ingest([shopeeOrder(world, 'TENANT-B')], merchantB.serviceToken);
      const node = await t.data(OrderDetail, { id: orderOfA }, { token: merchantB.ownerToken });
      const update = await t.data(UpdateOrderStatus, { id: orderOfA, input: { status: 'SHIPPING' } }, { token: merchantB.serviceToken });
      const cancel = await t.data(RequestCancellation, { id: orderOfA }, { token: merchantB.ownerToken });
      const list = await t.data(Orders, { first: 50 }, { token: merchantB.ownerToken });

      // then
      expect(intoA.results).toEqual([{ index: 0, outcome: 'REJECTED', order: null }]);
      expect(intoA.userErrors).toMatchObject([{ field: ['input', 'orders', '0', 'storeId'], code: 'NOT_FOUND', index: 0 }]);
      expect(node.node).toBeNull();
      expect(update.updateOrderStatus).toEqual({ order: null, userErrors: [{ field: ['id'], message: 'No such order', code: 'NOT_FOUND' }] });
      expect(cancel.requestOrderCancellation.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
      expect(list.orders.totalCount).toBe(0);
      const stored = await t.db.prisma.order.findFirstOrThrow({ where: { channelOrderNo: 'TENANT-A' } });
      expect(stored.status).toBe('READY_TO_SHIP');
      expect(await t.db.prisma.order.count({ where: { channelOrderNo: 'TENANT-B' } })).toBe(0);
    });
  });

  describe('listing', () => {
    let lister: World;
    beforeAll(async () => {
      lister = await buildWorld(t, 'Lister');
      const { ingestOrders } = await t.data(
        IngestOrders,
        {
          input: {
            orders: [
              shopeeOrder(lister, 'L-ELIGIBLE'),
              shopeeOrder(lister, 'L-STANDARD', { shippingType: 'STANDARD', trackingNumber: 'FLASH-777' }),
              shopeeOrder(lister, 'L-UNTRACKED', { shippingType: 'STANDARD', trackingNumber: null }),
              shopeeOrder(lister, 'L-SHIPPING', { status: 'SHIPPING' }),
              shopeeOrder(lister, 'L-SHOPIFY', { storeId: lister.stores.shopify, channel: 'SHOPIFY' }),
            ],
          },
        },
        { token: lister.merchant.serviceToken },
      );
      expect(ingestOrders.userErrors).toEqual([]);
    });
    const list = (variables: OrderListQueryVariables) =>
      t.data(Orders, { first: 50, ...variables }, { token: lister.merchant.ownerToken }).then(({ orders }) => ({
        totalCount: orders.totalCount,
        numbers: orders.edges.map((edge) => edge.node.channelOrderNo),
      }));

    it('lists newest first by default, and sorts by channel order number', async () => {
      expect(await list({})).toEqual({ totalCount: 5, numbers: ['L-SHOPIFY', 'L-SHIPPING', 'L-UNTRACKED', 'L-STANDARD', 'L-ELIGIBLE'] });
      expect((await list({ sortBy: { field: 'CHANNEL_ORDER_NO', direction: 'ASC' } })).numbers).toEqual([
        'L-ELIGIBLE',
        'L-SHIPPING',
        'L-SHOPIFY',
        'L-STANDARD',
        'L-UNTRACKED',
      ]);
    });

    it('filters by eligibility reason and by eligibility', async () => {
      expect(await list({ filter: { eligibilityReason: 'NOT_EXPRESS' } })).toEqual({ totalCount: 2, numbers: ['L-UNTRACKED', 'L-STANDARD'] });
      expect(await list({ filter: { eligibilityReason: 'UNSUPPORTED_CHANNEL' } })).toEqual({ totalCount: 1, numbers: ['L-SHOPIFY'] });
      expect(await list({ filter: { pushEligible: true } })).toEqual({ totalCount: 1, numbers: ['L-ELIGIBLE'] });
      expect((await list({ filter: { pushEligible: false } })).totalCount).toBe(4);
    });

    it('filters by status, store and text (order number or tracking number)', async () => {
      expect(await list({ filter: { status: 'SHIPPING' } })).toEqual({ totalCount: 1, numbers: ['L-SHIPPING'] });
      expect(await list({ filter: { storeId: lister.stores.shopify } })).toEqual({ totalCount: 1, numbers: ['L-SHOPIFY'] });
      expect(await list({ filter: { storeId: world.stores.shopee } })).toEqual({ totalCount: 0, numbers: [] });
      expect(await list({ filter: { text: 'flash-7' } })).toEqual({ totalCount: 1, numbers: ['L-STANDARD'] });
      expect(await list({ filter: { text: 'l-shi' } })).toEqual({ totalCount: 1, numbers: ['L-SHIPPING'] });
      expect(await list({ filter: { status: 'READY_TO_SHIP', eligibilityReason: 'NO_TRACKING_NUMBER' } })).toEqual({ totalCount: 1, numbers: ['L-UNTRACKED'] });
    });

    it('refuses a page larger than 100', async () => {
      const result = await t.execute(Orders, { first: 101 }, { token: lister.merchant.ownerToken });

      expect(result.errors?.[0]?.message).toMatch(/100/);
    });

    it('costs the same number of SQL statements for a page of 10 and of 100, nested items included', async () => {
      // given
      const bulk = await buildWorld(t, 'Bulk orders');
      const orders = Array.from({ length: 120 }, (_, index) =>
        shopeeOrder(bulk, `BULK-${String(index).padStart(3, '0')}`, {
          items: [{ channelSkuCode: 'MUG-CH', quantity: 1 }, { channelSkuCode: 'PLATE-CH', quantity: 2 }, { channelSkuCode: 'UNLINKED', quantity: 1 }],
        }),
      );
      const { results } = await t.data(IngestOrders, { input: { orders } }, { token: bulk.merchant.serviceToken }).then((data) => data.ingestOrders);
      expect(results.every((result) => result.outcome === 'CREATED')).toBe(true);
      const statementsFor = async (first: number) => {
        const before = t.db.statements.count;
        const { orders: page } = await t.data(OrdersNested, { first }, { token: bulk.merchant.ownerToken });
        expect(page.edges).toHaveLength(first);
        expect(page.edges[0]!.node.items.map((item) => item.warehouse?.name ?? null).sort()).toEqual([
          bulk.warehouseNames.eccang,
          bulk.warehouseNames.jd,
          null,
        ]);
        return t.db.statements.count - before;
      };
      await statementsFor(1); // the token's lastUsedAt is written on its first use only

      // when
      const small = await statementsFor(10);
      const large = await statementsFor(100);

      // then
      expect(large).toBe(small);
      // the token lookup, the page of orders, then one each for items, Master SKUs, warehouses and stores
      expect(small).toBe(6);
    });
  });
});
