// Provider webhooks over real HTTP, sent by the simulators: verification, inbox dedupe,
// replay, refusal rules (400 / 404 / 401 / 413), and processing (pull, then apply the status).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEccangSimulator, seedDemo, startEccangSimulator } from '../../src/providers/eccang/simulator.ts';
import { JD_PUSH_SIGN_HEADER, jdPushSign } from '../../src/providers/jd/sign.ts';
import { seedJdDemo, startJdSimulator } from '../../src/providers/jd/simulator.ts';
import { MAX_WEBHOOK_BODY_BYTES } from '../../src/routes/webhooks.ts';
import { graphql } from '../generated/index.ts';
import { TestApp } from '../helpers/app.ts';
import { rowId } from '../helpers/fixtures.ts';
import { testEndpoints } from '../helpers/providers.ts';

const BindEccang = graphql(`
  mutation WebhookBindEccang($input: BindEccangInput!) {
    bindEccang(input: $input) { integration { id statusDelivery lastError } userErrors { code message } }
  }
`);
const BindJd = graphql(`
  mutation WebhookBindJd($input: BindJdInput!) { bindJd(input: $input) { authorizationUrl userErrors { code } } }
`);
const Disable = graphql(`
  mutation WebhookDisable($id: ID!) { disableIntegration(integrationId: $id) { userErrors { code } } }
`);
const Enable = graphql(`
  mutation WebhookEnable($id: ID!) { enableIntegration(integrationId: $id) { userErrors { code } } }
`);

const JD_APP = { appKey: 'hook-platform-app', appSecret: 'hook-platform-secret' };
const JD_DEPT = 'EBU0000000077';
const ECCANG_ACCOUNT = { appToken: 'hook-token-0001', appKey: 'hook-key-0001' };

describe('webhooks', () => {
  let eccang: RunningEccangSimulator;
  let jd: Awaited<ReturnType<typeof startJdSimulator>>;
  let t: TestApp;
  let http: Awaited<ReturnType<TestApp['listen']>>;
  let eccangIntegrationId: string;
  let eccangGlobalId: string;
  let eccangHookUrl: string;
  let jdIntegrationId: string;

  beforeAll(async () => {
    eccang = await startEccangSimulator();
    seedDemo(eccang.simulator, { ...ECCANG_ACCOUNT, skus: ['HOOK-SKU'] });
    jd = await startJdSimulator();
    seedJdDemo(jd, { ...JD_APP, deptNo: JD_DEPT, skus: ['HOOK-SKU'] });
    t = await TestApp.create({
      endpoints: testEndpoints({ jd: { routerUrl: jd.routerUrl, oauthUrl: jd.url, platformApp: JD_APP, pushRegistrationUrl: jd.pushRegistrationUrl } }),
    });
    http = await t.listen();

    const bound = await t.data(BindEccang, { input: { baseUrl: eccang.url, ...ECCANG_ACCOUNT, customerCode: 'HK', subscribeNews: true } });
    eccangGlobalId = bound.bindEccang.integration!.id;
    eccangIntegrationId = rowId(eccangGlobalId);
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: eccangIntegrationId } });
    eccangHookUrl = `${http.url}/webhooks/eccang/${row.webhookToken}`;

    const started = await t.data(BindJd, { input: { mode: 'QUICK', pin: 'hook_pin', deptNo: JD_DEPT, warehouseNo: '110000001', subscribeMessages: true } });
    const login = await fetch(started.bindJd.authorizationUrl!, { redirect: 'manual' });
    expect((await fetch(login.headers.get('location')!)).status).toBe(200);
    jdIntegrationId = (await t.db.prisma.integration.findFirstOrThrow({ where: { provider: 'JD' } })).id;
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
    await Promise.all([eccang?.close(), jd?.close()]);
  });

  /** An inbound list of ours, already created at the provider with `providerRef`. */
  async function inboundList(integrationId: string, providerRef: string, code: string) {
    const warehouse = await t.db.prisma.warehouse.findFirstOrThrow({ where: { integrationId }, orderBy: { name: 'asc' } });
    const sku = await t.db.prisma.masterSku.upsert({
      where: { merchantId_sku: { merchantId: t.merchant.id, sku: 'HOOK-SKU' } },
      create: { merchantId: t.merchant.id, sku: 'HOOK-SKU', name: 'Hook product' },
      update: {},
    });
    return t.db.prisma.inboundList.create({
      data: { merchantId: t.merchant.id, warehouseId: warehouse.id, code, providerRef, pushStatus: 'PUSHED', status: 'SUBMITTED', lines: { create: [{ masterSkuId: sku.id, quantity: 5 }] } },
    });
  }

  async function eccangAsn(reference: string): Promise<string> {
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: eccangIntegrationId } });
    const provider = await t.providers.forIntegration(row);
    const warehouse = await t.db.prisma.warehouse.findFirstOrThrow({ where: { integrationId: eccangIntegrationId }, orderBy: { name: 'asc' } });
    const { providerRef } = await provider.createInbound({ reference, warehouseCode: warehouse.providerCode!, lines: [{ sku: 'HOOK-SKU', quantity: 5 }] });
    return providerRef;
  }

  /** Waits for the simulator's deliveries and the gateway's background processing. */
  async function settle() {
    await eccang.simulator.settled();
    await jd.flushPushes();
    await t.app.inbox.drain();
  }

  it('ECCANG: subscribing verified the callback (GET ?random echo) and records PUSH delivery', async () => {
    const echo = await fetch(`${eccangHookUrl}?random=8812`);

    expect(await echo.json()).toEqual({ random: '8812' });
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: eccangIntegrationId } });
    expect(row.statusDelivery).toBe('PUSH');
  });

  it('ECCANG: a push is stored, answered 2xx, then the ASN is pulled and its status applied', async () => {
    // given
    const receivingCode = await eccangAsn('IN-HOOK-1');
    const list = await inboundList(eccangIntegrationId, receivingCode, 'IN-HOOK-1');

    // when
    eccang.simulator.setAsnStatus(receivingCode, 7);
    await settle();

    // then
    const updated = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } });
    expect(updated).toMatchObject({ status: 'IN_TRANSIT', providerStatusRaw: '7' });
    const events = await t.db.prisma.webhookEvent.findMany({ where: { integrationId: eccangIntegrationId, topic: 'receiving' } });
    expect(events).toEqual([expect.objectContaining({ status: 'PROCESSED', error: null, provider: 'ECCANG' })]);
    const changes = await t.db.prisma.statusChange.findMany({ where: { subjectId: list.id } });
    expect(changes).toEqual([expect.objectContaining({ fromStatus: 'SUBMITTED', toStatus: 'IN_TRANSIT', source: 'WEBHOOK' })]);
  });

  it('ECCANG: duplicated deliveries and replays are stored once and applied once', async () => {
    // given
    const receivingCode = await eccangAsn('IN-HOOK-2');
    const list = await inboundList(eccangIntegrationId, receivingCode, 'IN-HOOK-2');
    eccang.simulator.setPushBehaviour({ duplicate: true });

    // when
    eccang.simulator.setAsnStatus(receivingCode, 8);
    await settle();
    eccang.simulator.setPushBehaviour({});
    const sent = eccang.simulator.account(ECCANG_ACCOUNT.appToken);
    const lastPush = eccang.simulator.pushes.filter((push) => push.appToken === sent.appToken).at(-1)!;
    const replay = await fetch(eccangHookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(lastPush.body) });
    await settle();

    // then
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ message: 'duplicate, already received' });
    const events = await t.db.prisma.webhookEvent.findMany({ where: { integrationId: eccangIntegrationId, payload: { path: ['body', 'receiving_code'], equals: receivingCode } } });
    expect(events).toHaveLength(1);
    expect(await t.db.prisma.statusChange.count({ where: { subjectId: list.id } })).toBe(1);
  });

  it('ECCANG: unknown token → 404, malformed body → 400, another app_key → 401; nothing stored', async () => {
    // given
    const before = await t.db.prisma.webhookEvent.count();
    const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const valid = { app_key: ECCANG_ACCOUNT.appKey, msg_id: 'forged-1', subscript_type: 'order', body: { order_code: 'X1' } };

    // when
    const unknown = await post(`${http.url}/webhooks/eccang/${'x'.repeat(32)}`, JSON.stringify(valid));
    const notJson = await post(eccangHookUrl, '{"app_key":');
    const wrongShape = await post(eccangHookUrl, JSON.stringify({ ...valid, subscript_type: 'weather' }));
    const otherKey = await post(eccangHookUrl, JSON.stringify({ ...valid, app_key: 'someone-else' }));
    const huge = await post(eccangHookUrl, JSON.stringify({ ...valid, padding: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) }));

    // then
    expect([unknown.status, notJson.status, wrongShape.status, otherKey.status, huge.status]).toEqual([404, 400, 400, 401, 413]);
    expect(await wrongShape.json()).toMatchObject({ ask: 'Failure', message: 'unknown subscript_type "weather"' });
    expect(await t.db.prisma.webhookEvent.count()).toBe(before);
  });

  it('JD: a signed push is verified, stored and applied; bad signature → 401, unknown department → 404, malformed → 400', async () => {
    // given
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: jdIntegrationId } });
    expect(row.statusDelivery).toBe('PUSH');
    const provider = await t.providers.forIntegration(row);
    const goodsNo = jd.received().goods.find((goods) => goods.isvGoodsNo === 'HOOK-SKU' && goods.deptNo === JD_DEPT)!.goodsNo;
    const { providerRef } = await provider.createInbound({ reference: 'IN-HOOK-JD', warehouseCode: '110000001', lines: [{ sku: 'HOOK-SKU', providerSkuId: goodsNo, quantity: 5 }] });
    const list = await inboundList(jdIntegrationId, providerRef, 'IN-HOOK-JD');
    const before = await t.db.prisma.webhookEvent.count();
    const body = JSON.stringify({ topic: 'eclp_po_status', msgId: 'jd-forged', timestamp: '2026-11-23 10:00:00', appKey: JD_APP.appKey, deptNo: JD_DEPT, content: { poOrderNo: providerRef } });
    const post = (raw: string, sign: string, url = `${http.url}/webhooks/jd`) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [JD_PUSH_SIGN_HEADER]: sign }, body: raw });

    // when
    const badSign = await post(body, jdPushSign(body, 'not-the-secret'));
    const otherDept = JSON.stringify({ ...JSON.parse(body), deptNo: 'EBU9999' });
    const unknownDept = await post(otherDept, jdPushSign(otherDept, JD_APP.appSecret));
    const malformed = await post('{"topic":', 'x');
    const stored = await t.db.prisma.webhookEvent.count();
    jd.advancePo(providerRef, '70', { [goodsNo]: 5 });
    await settle();

    // then
    expect([badSign.status, unknownDept.status, malformed.status]).toEqual([401, 404, 400]);
    expect(stored).toBe(before);
    const updated = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id }, include: { lines: true } });
    expect(updated).toMatchObject({ status: 'COMPLETED', providerStatusRaw: '70' });
    const events = await t.db.prisma.webhookEvent.findMany({ where: { integrationId: jdIntegrationId } });
    expect(events).toEqual([expect.objectContaining({ provider: 'JD', status: 'PROCESSED', topic: 'eclp_po_status' })]);
  });

  it('a push for a disabled integration waits in the inbox, and is processed once it is enabled again', async () => {
    // given
    const receivingCode = await eccangAsn('IN-HOOK-3');
    const list = await inboundList(eccangIntegrationId, receivingCode, 'IN-HOOK-3');
    expect((await t.data(Disable, { id: eccangGlobalId })).disableIntegration.userErrors).toEqual([]);

    // when
    eccang.simulator.setAsnStatus(receivingCode, 7);
    await settle();
    const whileDisabled = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } });
    expect((await t.data(Enable, { id: eccangGlobalId })).enableIntegration.userErrors).toEqual([]);
    await t.app.inbox.sweep();

    // then
    expect(whileDisabled.status).toBe('SUBMITTED');
    const after = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } });
    expect(after.status).toBe('IN_TRANSIT');
  });

  it('credentials refused while pulling: the binding turns AUTH_FAILED and the message waits for it to be fixed', async () => {
    // given
    const receivingCode = await eccangAsn('IN-HOOK-4');
    const list = await inboundList(eccangIntegrationId, receivingCode, 'IN-HOOK-4');
    eccang.simulator.injectFault({ kind: 'badCredentials', service: 'getAsnList', count: 1 });

    // when
    eccang.simulator.setAsnStatus(receivingCode, 7);
    await settle();
    const integration = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: eccangIntegrationId } });
    const event = await t.db.prisma.webhookEvent.findFirstOrThrow({ where: { integrationId: eccangIntegrationId }, orderBy: { receivedAt: 'desc' } });
    expect((await t.data(Enable, { id: eccangGlobalId })).enableIntegration.userErrors).toEqual([]);
    await t.app.inbox.sweep();

    // then
    expect(integration.status).toBe('AUTH_FAILED');
    expect(event).toMatchObject({ status: 'RECEIVED', attempts: 1 });
    expect((await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } })).status).toBe('IN_TRANSIT');
  });
});
