// Pushing placed Master SKUs to the providers through the outbox, against the ECCANG and JD
// simulators over real HTTP: one createProduct / transportGoodsInfo per placement, retries on
// outages, refusals shown to the merchant, and nothing sent while the integration is not live.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/jobs/outbox.job.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningEccangSimulator, seedDemo, startEccangSimulator } from '../../src/providers/eccang/simulator.ts';
import { startJdSimulator } from '../../src/providers/jd/simulator.ts';
import type { RequestContext } from '../../src/context.ts';
import { bindEccang } from '../../src/services/eccang-binding.service.ts';
import { disableIntegration, enableIntegration, unbindIntegration } from '../../src/services/integration.service.ts';
import { createMasterSku, type CreateMasterSkuInput, updateMasterSku } from '../../src/services/master-sku.service.ts';
import { addProductsToWarehouse } from '../../src/services/warehouse-product.service.ts';
import { TestApp } from '../helpers/app.ts';
import { createIntegration, createThirdPartyWarehouse } from '../helpers/fixtures.ts';
import { testEndpoints } from '../helpers/providers.ts';

const log = createLogger({ level: 'silent' });
const PLATFORM = { appKey: 'platform-app', appSecret: 'platform-secret-0001' };
const DEPT = 'EBU0000042';
/** Everything ECCANG requires of a product. */
const COMPLETE = { weightGrams: 1500, lengthMm: 200, widthMm: 100, heightMm: 50, declaredValueCents: 1250, declaredName: 'Ceramic mug', barcode: '8991234567890' };

describe('product push', () => {
  let eccang: RunningEccangSimulator;
  let jd: Awaited<ReturnType<typeof startJdSimulator>>;
  let t: TestApp;
  let ctx: RequestContext;
  let ownWarehouseId: string;
  let skuSequence = 0;
  let accountSequence = 0;
  /** How far the worker's clock runs ahead of the real one; tests move it instead of waiting. */
  let clockAhead = 0;

  beforeAll(async () => {
    eccang = await startEccangSimulator();
    jd = await startJdSimulator();
    jd.addApp(PLATFORM.appKey, PLATFORM.appSecret);
    jd.addDept(DEPT, [{ warehouseNo: 'WH001', warehouseName: 'Bangkok' }]);
    t = await TestApp.create({ endpoints: testEndpoints({ jd: { routerUrl: jd.routerUrl, oauthUrl: jd.url, platformApp: PLATFORM } }) });
    ctx = t.contextFor(t.merchant.id);
    ownWarehouseId = (await t.db.prisma.warehouse.create({ data: { merchantId: t.merchant.id, kind: 'OWN', name: 'Jakarta DC' } })).id;
  });
  afterAll(async () => {
    await t?.close();
    await eccang?.close();
    await jd?.close();
  });
  beforeEach(() => {
    clockAhead = 0;
  });
  // Each test leaves no live command behind for the next one's worker.
  afterEach(async () => {
    await t.db.prisma.outboxCommand.deleteMany({ where: { status: { in: ['PENDING', 'RUNNING'] } } });
  });

  const worker = (options: { maxAttempts?: number; batchSize?: number } = {}) =>
    createOutboxWorker({
      db: t.db,
      providers: t.providers,
      log,
      batchSize: options.batchSize,
      now: () => new Date(Date.now() + clockAhead),
      ...(options.maxAttempts ? { policy: { baseDelayMs: 10_000, maxDelayMs: 3_600_000, jitter: 0.25, maxAttempts: options.maxAttempts } } : {}),
    });
  const runOnce = () => worker().runOnce();
  /** Makes every retry and wait due. */
  const skipAhead = () => {
    clockAhead += 2 * 3_600_000;
  };

  /** A real bindEccang against its own simulator account; returns the integration and its BKK1 warehouse. */
  async function bindEccangAccount() {
    const n = ++accountSequence;
    const account = { appToken: `push-token-${n}`, appKey: `push-key-${n}` };
    seedDemo(eccang.simulator, { ...account, skus: 0 });
    const bound = await bindEccang(ctx, { baseUrl: eccang.url, ...account, customerCode: `PUSH${n}` });
    if (!bound.ok) throw new Error(JSON.stringify(bound.userErrors));
    const warehouse = await t.db.prisma.warehouse.findFirstOrThrow({ where: { integrationId: bound.value.id, providerCode: 'BKK1' } });
    return { integration: bound.value, warehouse, appToken: account.appToken };
  }

  /** A JD binding as completeJdAuthorization leaves it: sealed tokens the simulator accepts. */
  async function bindJdAccount() {
    const integration = await createIntegration(t, t.merchant.id, 'JD');
    const accessToken = jd.issueToken(PLATFORM.appKey);
    await t.db.prisma.integration.update({
      where: { id: integration.id },
      data: {
        customerCode: DEPT,
        accountId: 'jd_pin_push',
        jdMode: 'QUICK',
        credentialsEncrypted: t.providers.seal(integration.id, { provider: 'JD', ownApp: null, accessToken, refreshToken: 'refresh-unused' }),
      },
    });
    const warehouse = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'JD', code: 'WH001', name: `WH001-${DEPT}-jd_pin_push`, integrationId: integration.id });
    return { integration, warehouse };
  }

  /** Creates a Master SKU placed in these warehouses; returns it with its placement in the first. */
  async function placeNewSku(warehouseIds: string[], fields: Partial<CreateMasterSkuInput> = COMPLETE) {
    const sku = `PUSH-${++skuSequence}`;
    const created = await createMasterSku(ctx, { sku, name: `Product ${sku}`, ...fields, addToWarehouses: warehouseIds.map((warehouseId) => ({ warehouseId })) });
    if (!created.ok) throw new Error(JSON.stringify(created.userErrors));
    const masterSku = created.value.masterSku;
    const placement = await t.db.prisma.warehouseProduct.findUniqueOrThrow({ where: { warehouseId_masterSkuId: { warehouseId: warehouseIds[0]!, masterSkuId: masterSku.id } } });
    return { sku, masterSku, placement };
  }

  const createProductCalls = (appToken: string, sku: string) =>
    eccang.simulator.calls.filter((call) => call.service === 'createProduct' && call.appToken === appToken && call.params.product_sku === sku);
  const placementOf = (id: string) => t.db.prisma.warehouseProduct.findUniqueOrThrow({ where: { id } });
  const commandOf = (placementId: string) => t.db.prisma.outboxCommand.findUnique({ where: { dedupeKey: `push:WAREHOUSE_PRODUCT:${placementId}` } });
  const historyOf = async (subjectId: string) =>
    (await t.db.prisma.statusChange.findMany({ where: { subjectId }, orderBy: { id: 'asc' } })).map((change) => [change.fromStatus, change.toStatus, change.source]);

  describe('ECCANG', () => {
    let account: Awaited<ReturnType<typeof bindEccangAccount>>;
    beforeAll(async () => {
      account = await bindEccangAccount();
    });

    it('placing a SKU queues its push in the same transaction; the worker sends createProduct once; PUSHED under our SKU', async () => {
      // given
      const { sku, masterSku, placement } = await placeNewSku([account.warehouse.id, ownWarehouseId]);
      const queued = await commandOf(placement.id);
      const own = await t.db.prisma.warehouseProduct.findUniqueOrThrow({ where: { warehouseId_masterSkuId: { warehouseId: ownWarehouseId, masterSkuId: masterSku.id } } });

      // when
      await runOnce();
      skipAhead();
      await runOnce();

      // then
      expect(queued).toMatchObject({ kind: 'PUSH_PRODUCT', subjectType: 'WAREHOUSE_PRODUCT', subjectId: placement.id, status: 'PENDING', attempts: 0, merchantId: t.merchant.id });
      expect(own.pushStatus).toBe('NOT_REQUIRED');
      expect(await commandOf(own.id)).toBeNull();
      const calls = createProductCalls(account.appToken, sku);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.params).toMatchObject({ product_title: `Product ${sku}`, product_weight: 1.5, product_length: 20, product_width: 10, product_height: 5, product_declared_value: 12.5, product_declared_name: 'Ceramic mug' });
      const pushed = await placementOf(placement.id);
      expect(pushed).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku, lastPushError: null });
      expect(pushed.pushedAt).toBeInstanceOf(Date);
      expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastError: null, lockedUntil: null });
      expect(await historyOf(placement.id)).toEqual([
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'PUSHED', 'SYSTEM'],
      ]);
    });

    it('addProductsToWarehouse queues one push per new 3PL placement, in a fixed number of statements', async () => {
      // given
      const skus = async (count: number) => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) ids.push((await placeNewSku([ownWarehouseId])).masterSku.id);
        return ids;
      };
      const few = await skus(2);
      const many = await skus(30);
      const statementsOf = async (masterSkuIds: string[]) => {
        await t.providers.drain();
        const before = t.db.statements.count;
        const result = await addProductsToWarehouse(ctx, { warehouseId: account.warehouse.id, masterSkuIds });
        expect(result.ok).toBe(true);
        return t.db.statements.count - before;
      };

      // when
      const forFew = await statementsOf(few);
      const forMany = await statementsOf(many);
      await addProductsToWarehouse(ctx, { warehouseId: account.warehouse.id, masterSkuIds: [...few, ...many] });

      // then
      expect(forMany).toBe(forFew);
      const placements = await t.db.prisma.warehouseProduct.findMany({ where: { warehouseId: account.warehouse.id, masterSkuId: { in: [...few, ...many] } } });
      const commands = await t.db.prisma.outboxCommand.findMany({ where: { subjectId: { in: placements.map((p) => p.id) } } });
      expect(commands).toHaveLength(32);
      expect(new Set(commands.map((command) => command.dedupeKey)).size).toBe(32);
      expect(commands.every((command) => command.status === 'PENDING' && command.kind === 'PUSH_PRODUCT')).toBe(true);
    });

    it('an outage is retried: a 5xx, then success at the next attempt; one product at the provider', async () => {
      // given
      const { sku, placement } = await placeNewSku([account.warehouse.id]);
      eccang.simulator.injectFault({ kind: 'http5xx', service: 'createProduct', count: 1 });

      // when
      await runOnce();
      const afterOutage = { placement: await placementOf(placement.id), command: await commandOf(placement.id) };
      const tooEarly = await runOnce();
      skipAhead();
      await runOnce();

      // then
      expect(afterOutage.placement).toMatchObject({ pushStatus: 'PENDING', lastPushError: 'createProduct: HTTP 503' });
      expect(afterOutage.command).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'createProduct: HTTP 503' });
      expect(tooEarly).toBe(0);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku, lastPushError: null });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lastError: null });
      expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
      await t.providers.drain();
      const recorded = await t.db.prisma.providerCall.findMany({ where: { integrationId: account.integration.id, method: 'pushProduct' }, orderBy: { createdAt: 'asc' } });
      expect(recorded.slice(-2).map((call) => call.errorCode)).toEqual(['UNAVAILABLE', null]);
      expect(await historyOf(placement.id)).toEqual([
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'PENDING', 'SYSTEM'],
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'PUSHED', 'SYSTEM'],
      ]);
    });

    it('gives up after the retry budget: FAILED, with the last error and the way out', async () => {
      // given
      const { placement } = await placeNewSku([account.warehouse.id]);
      eccang.simulator.injectFault({ kind: 'http5xx', service: 'createProduct', count: 2 });
      const outbox = worker({ maxAttempts: 2 });

      // when
      await outbox.runOnce();
      skipAhead();
      await outbox.runOnce();

      // then
      expect(await commandOf(placement.id)).toMatchObject({ status: 'DEAD', attempts: 2 });
      expect(await placementOf(placement.id)).toMatchObject({
        pushStatus: 'FAILED',
        lastPushError: 'createProduct: HTTP 503 (gave up after 2 attempts; repush to try again)',
      });
    });

    it('a SKU without the weight ECCANG requires FAILS at once, nothing sent; fixing the SKU queues it again', async () => {
      // given
      const { sku, masterSku, placement } = await placeNewSku([account.warehouse.id], { ...COMPLETE, weightGrams: null });

      // when
      await runOnce();
      skipAhead();
      const retried = await runOnce();
      const failed = { placement: await placementOf(placement.id), command: await commandOf(placement.id) };
      const updated = await updateMasterSku(ctx, masterSku.id, { weightGrams: 800 });
      const requeued = { placement: await placementOf(placement.id), command: await commandOf(placement.id) };
      await runOnce();

      // then
      expect(failed.placement).toMatchObject({ pushStatus: 'FAILED', lastPushError: `createProduct ${sku}: weightGrams is required by ECCANG` });
      expect(failed.command).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(retried).toBe(0);
      expect(updated.ok).toBe(true);
      expect(requeued.placement).toMatchObject({ pushStatus: 'PENDING', lastPushError: null });
      expect(requeued.command).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null });
      expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
      expect(createProductCalls(account.appToken, sku)[0]!.params.product_weight).toBe(0.8);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku });
      expect(await historyOf(placement.id)).toEqual([
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'FAILED', 'SYSTEM'],
        ['FAILED', 'PENDING', 'USER'],
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'PUSHED', 'SYSTEM'],
      ]);
    });

    it('an update that changes nothing the provider sees, or archives the SKU, queues nothing', async () => {
      // given
      const { masterSku, placement } = await placeNewSku([account.warehouse.id], { ...COMPLETE, heightMm: null });
      await runOnce();

      // when
      await updateMasterSku(ctx, masterSku.id, { status: 'ARCHIVED' });
      await updateMasterSku(ctx, masterSku.id, { heightMm: 40 });

      // then
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'FAILED' });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'FAILED' });
    });

    it('two workers side by side push every placement exactly once', async () => {
      // given
      const placed = [];
      for (let i = 0; i < 6; i++) placed.push(await placeNewSku([account.warehouse.id]));
      const [first, second] = [worker({ batchSize: 2 }), worker({ batchSize: 2 })];

      // when
      for (;;) {
        const claimed = await Promise.all([first.runOnce(), second.runOnce()]);
        if (claimed[0] + claimed[1] === 0) break;
      }

      // then
      for (const { sku, placement } of placed) {
        expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
        expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED' });
        expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
      }
    });

    it('a push whose worker crashed mid-call (RUNNING, lease passed) is taken over and finished', async () => {
      // given
      const { sku, placement } = await placeNewSku([account.warehouse.id]);
      await t.db.prisma.warehouseProduct.update({ where: { id: placement.id }, data: { pushStatus: 'PUSHING' } });
      await t.db.prisma.outboxCommand.update({
        where: { dedupeKey: `push:WAREHOUSE_PRODUCT:${placement.id}` },
        data: { status: 'RUNNING', lockedUntil: new Date(Date.now() - 60_000) },
      });

      // when
      await runOnce();

      // then
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: sku });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lockedUntil: null });
      expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
      expect(await historyOf(placement.id)).toEqual([['PUSHING', 'PUSHED', 'SYSTEM']]);
    });
  });

  describe('integration status', () => {
    it('refused credentials turn the integration AUTH_FAILED; the push waits, then goes once it works again', async () => {
      // given
      const account = await bindEccangAccount();
      const { sku, placement } = await placeNewSku([account.warehouse.id]);
      eccang.simulator.injectFault({ kind: 'badCredentials', service: 'createProduct', count: 1 });

      // when
      await runOnce();
      const refused = {
        integration: await t.db.prisma.integration.findUniqueOrThrow({ where: { id: account.integration.id } }),
        placement: await placementOf(placement.id),
        command: await commandOf(placement.id),
      };
      skipAhead();
      await runOnce();
      const stillWaiting = { placement: await placementOf(placement.id), command: await commandOf(placement.id) };
      // Back to the real clock: the push must go now because the integration works again, not because its wait ended.
      clockAhead = 0;
      const enabled = await enableIntegration(ctx, account.integration.id);
      await runOnce();

      // then
      expect(refused.integration).toMatchObject({ status: 'AUTH_FAILED', lastError: 'createProduct: appToken or appKey is invalid / AUTH_FAILED' });
      expect(refused.placement).toMatchObject({ pushStatus: 'PENDING', lastPushError: expect.stringContaining('ECCANG refused the credentials') });
      expect(refused.command).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(await historyOf(account.integration.id)).toEqual([
        [null, 'ACTIVE', 'USER'],
        ['ACTIVE', 'AUTH_FAILED', 'SYSTEM'],
        ['AUTH_FAILED', 'ACTIVE', 'USER'],
      ]);
      expect(stillWaiting.placement.lastPushError).toContain('was refused by the provider');
      expect(stillWaiting.command).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(enabled.ok).toBe(true);
      expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', lastPushError: null });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    });

    it('a disabled integration gets nothing: the push waits, not counting attempts, and goes when it is enabled', async () => {
      // given
      const account = await bindEccangAccount();
      await disableIntegration(ctx, account.integration.id);
      const { sku, placement } = await placeNewSku([account.warehouse.id]);

      // when
      await runOnce();
      skipAhead();
      await runOnce();
      const waiting = { placement: await placementOf(placement.id), command: await commandOf(placement.id), at: Date.now() + clockAhead };
      const sentWhileDisabled = createProductCalls(account.appToken, sku).length;
      clockAhead = 0;
      await enableIntegration(ctx, account.integration.id);
      await runOnce();

      // then
      expect(sentWhileDisabled).toBe(0);
      expect(waiting.placement).toMatchObject({ pushStatus: 'PENDING', lastPushError: expect.stringContaining('is disabled; the product is pushed when it is enabled again') });
      expect(waiting.command).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(waiting.command!.nextAttemptAt.getTime()).toBeGreaterThan(waiting.at);
      expect(createProductCalls(account.appToken, sku)).toHaveLength(1);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED' });
      expect(await historyOf(placement.id)).toEqual([
        ['PENDING', 'PUSHING', 'SYSTEM'],
        ['PUSHING', 'PUSHED', 'SYSTEM'],
      ]);
    });

    it('an unbound integration fails the push with the way out', async () => {
      // given
      const account = await bindEccangAccount();
      const { sku, placement } = await placeNewSku([account.warehouse.id]);
      await unbindIntegration(ctx, account.integration.id);

      // when
      await runOnce();

      // then
      expect(await placementOf(placement.id)).toMatchObject({
        pushStatus: 'FAILED',
        lastPushError: `The ECCANG integration "${account.integration.name}" is unbound: bind the warehouse account again, then repush`,
      });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'FAILED' });
      expect(createProductCalls(account.appToken, sku)).toHaveLength(0);
    });
  });

  describe('JD', () => {
    let warehouse: Awaited<ReturnType<typeof bindJdAccount>>['warehouse'];
    beforeAll(async () => {
      ({ warehouse } = await bindJdAccount());
    });

    it('sends transportGoodsInfo once; the provider SKU id is JD goodsNo', async () => {
      // given
      const { sku, placement } = await placeNewSku([warehouse.id]);

      // when
      await runOnce();

      // then
      const goods = jd.received().goods.filter((item) => item.isvGoodsNo === sku);
      expect(goods).toHaveLength(1);
      expect(goods[0]).toMatchObject({ deptNo: DEPT, goodsName: `Product ${sku}` });
      expect(jd.received().calls.filter((call) => call.method === 'jingdong.eclp.goods.transportGoodsInfo' && call.body.includes(sku))).toHaveLength(1);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: goods[0]!.goodsNo, lastPushError: null });
      expect(goods[0]!.goodsNo).not.toBe(sku);
    });

    it('a JD outage is retried with the same goods as the result', async () => {
      // given
      const { sku, placement } = await placeNewSku([warehouse.id]);
      jd.injectFaults({ kind: 'http5xx' }, 1);

      // when
      await runOnce();
      const afterOutage = await commandOf(placement.id);
      skipAhead();
      await runOnce();

      // then
      expect(afterOutage).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'pushProduct: HTTP 502' });
      const goods = jd.received().goods.filter((item) => item.isvGoodsNo === sku);
      expect(goods).toHaveLength(1);
      expect(await placementOf(placement.id)).toMatchObject({ pushStatus: 'PUSHED', providerSkuId: goods[0]!.goodsNo });
      expect(await commandOf(placement.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    });
  });
});

describe('product push without the JD platform app configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  it('a QUICK JD binding waits (attempts not counted) and says which settings are missing', async () => {
    // given
    const integration = await createIntegration(t, t.merchant.id, 'JD');
    await t.db.prisma.integration.update({
      where: { id: integration.id },
      data: {
        customerCode: DEPT,
        credentialsEncrypted: t.providers.seal(integration.id, { provider: 'JD', ownApp: null, accessToken: 'token', refreshToken: 'refresh' }),
      },
    });
    const warehouse = await createThirdPartyWarehouse(t, t.merchant.id, { provider: 'JD', code: 'WH001', name: 'WH001-unconfigured', integrationId: integration.id });
    const created = await createMasterSku(t.contextFor(t.merchant.id), { sku: 'NO-APP-1', name: 'No app', ...COMPLETE, addToWarehouses: [{ warehouseId: warehouse.id }] });
    if (!created.ok) throw new Error(JSON.stringify(created.userErrors));

    // when
    await createOutboxWorker({ db: t.db, providers: t.providers, log }).runOnce();

    // then
    const placement = await t.db.prisma.warehouseProduct.findFirstOrThrow({ where: { warehouseId: warehouse.id } });
    expect(placement).toMatchObject({ pushStatus: 'PENDING', lastPushError: expect.stringContaining('JD_APP_KEY') });
    expect(await t.db.prisma.outboxCommand.findFirst({ where: { subjectId: placement.id } })).toMatchObject({ status: 'PENDING', attempts: 0 });
  });
});
