// What the merchant sees of product pushes through GraphQL, and repushProduct: bound through
// bindEccang against the ECCANG simulator over real HTTP, pushed by the outbox worker.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/jobs/outbox.job.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningEccangSimulator, seedDemo, startEccangSimulator } from '../../src/providers/eccang/simulator.ts';
import { graphql } from '../generated/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

const BindEccang = graphql(`
  mutation PushBindEccang($input: BindEccangInput!) {
    bindEccang(input: $input) {
      integration { id warehouses(first: 10) { edges { node { id providerCode } } } }
      userErrors { field message code }
    }
  }
`);

const CreateSku = graphql(`
  mutation PushCreateSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) {
      masterSku { id warehouseProducts { id pushStatus providerSkuId lastPushError pushedAt warehouse { id } } }
      userErrors { field message code }
    }
  }
`);

const UpdateSku = graphql(`
  mutation PushUpdateSku($id: ID!, $input: UpdateMasterSkuInput!) {
    updateMasterSku(id: $id, input: $input) {
      masterSku { warehouseProducts { id pushStatus lastPushError } }
      userErrors { field message code }
    }
  }
`);

const Placement = graphql(`
  query PushPlacement($id: ID!) {
    node(id: $id) { ... on WarehouseProduct { pushStatus providerSkuId lastPushError pushedAt masterSku { sku } } }
  }
`);

const Repush = graphql(`
  mutation PushRepush($id: ID!) {
    repushProduct(warehouseProductId: $id) {
      warehouseProduct { id pushStatus lastPushError }
      userErrors { field message code }
    }
  }
`);

const log = createLogger({ level: 'silent' });
const ACCOUNT = { appToken: 'graphql-push-token', appKey: 'graphql-push-key' };
const COMPLETE = { weightGrams: 250, lengthMm: 100, widthMm: 100, heightMm: 100, declaredValueCents: 500, declaredName: 'Tote' };

describe('product push in GraphQL', () => {
  let eccang: RunningEccangSimulator;
  let t: TestApp;
  let other: TestMerchant;
  let warehouseId: string;
  let ownWarehouseId: string;
  let skuSequence = 0;

  beforeAll(async () => {
    eccang = await startEccangSimulator();
    seedDemo(eccang.simulator, { ...ACCOUNT, skus: 0 });
    t = await TestApp.create();
    other = await t.createMerchant('Other merchant');
    const { bindEccang } = await t.data(BindEccang, { input: { baseUrl: eccang.url, ...ACCOUNT, customerCode: 'GQL1' } });
    expect(bindEccang.userErrors).toEqual([]);
    warehouseId = bindEccang.integration!.warehouses.edges.find((edge) => edge.node.providerCode === 'BKK1')!.node.id;
    const own = await t.db.prisma.warehouse.create({ data: { merchantId: t.merchant.id, kind: 'OWN', name: 'Own DC' } });
    ownWarehouseId = encodeGlobalID('Warehouse', own.id);
  });
  afterAll(async () => {
    await t?.close();
    await eccang?.close();
  });

  const runOutbox = () => createOutboxWorker({ db: t.db, providers: t.providers, log }).runOnce();
  const commandOf = (globalId: string) =>
    t.db.prisma.outboxCommand.findUniqueOrThrow({ where: { dedupeKey: `push:WAREHOUSE_PRODUCT:${decodeGlobalID(globalId).id}` } });

  async function placeNewSku(fields: Record<string, number | string | null> = COMPLETE, warehouses = [warehouseId]) {
    const sku = `GQL-${++skuSequence}`;
    const { createMasterSku } = await t.data(CreateSku, {
      input: { sku, name: `Product ${sku}`, ...fields, addToWarehouses: warehouses.map((id) => ({ warehouseId: id })) },
    });
    expect(createMasterSku.userErrors).toEqual([]);
    const masterSku = createMasterSku.masterSku!;
    return { sku, masterSku, placements: masterSku.warehouseProducts };
  }

  it('shows a placement PENDING, then PUSHED with the provider SKU id and time', async () => {
    // given
    const { sku, placements } = await placeNewSku();

    // when
    await runOutbox();
    const { node } = await t.data(Placement, { id: placements[0]!.id });

    // then
    expect(placements[0]).toMatchObject({ pushStatus: 'PENDING', providerSkuId: null, lastPushError: null, pushedAt: null });
    expect(node).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku, lastPushError: null, pushedAt: expect.any(String), masterSku: { sku } });
  });

  it('a refused push shows why; repushProduct queues it again with a fresh budget; fixing the SKU lets it through', async () => {
    // given
    const { sku, masterSku, placements } = await placeNewSku({ ...COMPLETE, declaredValueCents: null });
    const placementId = placements[0]!.id;
    await runOutbox();
    const failed = await t.data(Placement, { id: placementId });

    // when
    const repushed = await t.data(Repush, { id: placementId }, { token: t.merchant.staffToken });
    const queued = await commandOf(placementId);
    const again = await t.data(Repush, { id: placementId });
    await runOutbox();
    const failedAgain = await t.data(Placement, { id: placementId });
    const fixed = await t.data(UpdateSku, { id: masterSku.id, input: { declaredValueCents: 900 } });
    await runOutbox();
    const pushed = await t.data(Placement, { id: placementId });

    // then
    const refusal = `createProduct ${sku}: declaredValueCents is required by ECCANG`;
    expect(failed.node).toMatchObject({ pushStatus: 'FAILED', lastPushError: refusal });
    expect(repushed.repushProduct).toEqual({ warehouseProduct: { id: placementId, pushStatus: 'PENDING', lastPushError: null }, userErrors: [] });
    expect(queued).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null });
    expect(again.repushProduct).toEqual({
      warehouseProduct: null,
      userErrors: [{ field: ['warehouseProductId'], code: 'NOT_REPUSHABLE', message: 'The push is already queued: only a failed or erroring push can be repushed' }],
    });
    expect(failedAgain.node).toMatchObject({ pushStatus: 'FAILED', lastPushError: refusal });
    expect(fixed.updateMasterSku).toEqual({ masterSku: { warehouseProducts: [{ id: placementId, pushStatus: 'PENDING', lastPushError: null }] }, userErrors: [] });
    expect(pushed.node).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku, lastPushError: null });
  });

  it('refuses to repush what is pushed, or placed in an own warehouse', async () => {
    // given
    const { placements } = await placeNewSku(COMPLETE, [warehouseId, ownWarehouseId]);
    await runOutbox();
    const [pushed, own] = [placements.find((p) => p.warehouse.id === warehouseId)!, placements.find((p) => p.warehouse.id === ownWarehouseId)!];

    // when
    const repushPushed = await t.data(Repush, { id: pushed.id });
    const repushOwn = await t.data(Repush, { id: own.id });

    // then
    expect(repushPushed.repushProduct.userErrors).toEqual([
      { field: ['warehouseProductId'], code: 'NOT_REPUSHABLE', message: 'The push is PUSHED: only a failed or erroring push can be repushed' },
    ]);
    expect(repushOwn.repushProduct.userErrors).toEqual([
      { field: ['warehouseProductId'], code: 'NOT_REPUSHABLE', message: 'Products in your own warehouses are not pushed anywhere' },
    ]);
  });

  it('says so when the integration is unbound: repushing cannot help until it is bound again', async () => {
    // given
    const warehouse = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'JD', code: 'WHX', name: 'WHX-unbound' });
    await t.db.prisma.integration.update({ where: { id: warehouse.integrationId! }, data: { status: 'UNBOUND' } });
    const sku = await t.db.prisma.masterSku.create({ data: { merchantId: t.merchant.id, sku: 'GQL-UNBOUND', name: 'Unbound' } });
    const placement = await t.db.prisma.warehouseProduct.create({
      data: { merchantId: t.merchant.id, warehouseId: warehouse.id, masterSkuId: sku.id, pushStatus: 'FAILED', lastPushError: 'unbound' },
    });

    // when
    const { repushProduct } = await t.data(Repush, { id: encodeGlobalID('WarehouseProduct', placement.id) });

    // then
    expect(repushProduct.userErrors).toEqual([
      { field: ['warehouseProductId'], code: 'INTEGRATION_UNBOUND', message: "The warehouse's integration is unbound: bind the warehouse account again first" },
    ]);
  });

  it("another merchant cannot repush, or even see, this merchant's placement; SUPPORT cannot repush", async () => {
    // given
    const { placements } = await placeNewSku({ ...COMPLETE, weightGrams: null });
    const placementId = placements[0]!.id;
    await runOutbox();
    const before = await commandOf(placementId);

    // when
    const intruder = await t.data(Repush, { id: placementId }, { token: other.ownerToken });
    const seen = await t.data(Placement, { id: placementId }, { token: other.ownerToken });
    const support = await t.execute(Repush, { id: placementId }, { token: t.supportToken, merchantId: t.merchant.id });

    // then
    expect(intruder.repushProduct).toEqual({
      warehouseProduct: null,
      userErrors: [{ field: ['warehouseProductId'], code: 'NOT_FOUND', message: 'No such warehouse product' }],
    });
    expect(seen.node).toBeNull();
    expect(support.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await commandOf(placementId)).toEqual(before);
    expect((await t.data(Placement, { id: placementId })).node).toMatchObject({ pushStatus: 'FAILED' });
  });
});
