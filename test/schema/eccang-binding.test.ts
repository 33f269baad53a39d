// Binding ECCANG through GraphQL against the simulator over real HTTP: verify first, one
// credential set per merchant, warehouse naming, sync, rotate, disable / enable, unbind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEccangSimulator, seedDemo, startEccangSimulator } from '../../src/providers/eccang/simulator.ts';
import { graphql } from '../generated/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';
import { rowId } from '../helpers/fixtures.ts';
import { testEndpoints } from '../helpers/providers.ts';

const BindEccang = graphql(`
  mutation EccangBind($input: BindEccangInput!) {
    bindEccang(input: $input) {
      integration {
        id provider status statusDelivery baseUrl customerCode credentialsHint lastError
        warehouses(first: 20) { totalCount edges { node { name providerCode provider kind status country } } }
      }
      userErrors { field message code }
    }
  }
`);

const SyncEccang = graphql(`
  mutation EccangSync($id: ID!) {
    syncWarehouses(integrationId: $id) {
      added vanished restored
      integration { warehouses(first: 20) { edges { node { providerCode status } } } }
      userErrors { field message code }
    }
  }
`);

const Rotate = graphql(`
  mutation EccangRotate($id: ID!, $input: RotateIntegrationCredentialsInput!) {
    rotateIntegrationCredentials(integrationId: $id, input: $input) {
      integration { status credentialsHint }
      authorizationUrl
      userErrors { field message code }
    }
  }
`);

const Disable = graphql(`
  mutation EccangDisable($id: ID!) { disableIntegration(integrationId: $id) { integration { status disabledAt } userErrors { code } } }
`);
const Enable = graphql(`
  mutation EccangEnable($id: ID!) { enableIntegration(integrationId: $id) { integration { status } userErrors { code message } } }
`);
const Unbind = graphql(`
  mutation EccangUnbind($id: ID!) { unbindIntegration(integrationId: $id) { integration { status credentialsHint } userErrors { code } } }
`);

const Integrations = graphql(`
  query EccangIntegrations { integrations(first: 50, provider: ECCANG) { totalCount edges { node { id customerCode } } } }
`);

describe('bindEccang', () => {
  let sim: RunningEccangSimulator;
  let t: TestApp;
  let other: TestMerchant;
  let accountSeq = 0;

  /** A fresh ECCANG account at the simulator, with warehouses BKK1 and CGK1. */
  function newAccount() {
    const n = ++accountSeq;
    const account = { appToken: `token-${n}-abcdef`, appKey: `key-${n}-0123456789` };
    seedDemo(sim.simulator, { ...account, skus: 2 });
    return account;
  }
  const bind = (input: Record<string, unknown>, token = t.merchant.ownerToken) =>
    t.data(BindEccang, { input: { baseUrl: sim.url, customerCode: 'C01', ...input } as never }, { token }).then((result) => result.bindEccang);

  beforeAll(async () => {
    sim = await startEccangSimulator();
    t = await TestApp.create({ endpoints: testEndpoints() });
    other = await t.createMerchant('Other merchant');
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('verifies with getWarehouse, then creates the integration and one warehouse per ECCANG warehouse named <code><customerCode>', async () => {
    // given
    const account = newAccount();

    // when
    const result = await bind({ ...account, customerCode: 'CUST7' });

    // then
    expect(result.userErrors).toEqual([]);
    expect(result.integration).toMatchObject({
      provider: 'ECCANG',
      status: 'ACTIVE',
      statusDelivery: 'POLL',
      baseUrl: sim.url,
      customerCode: 'CUST7',
      credentialsHint: `••••${account.appKey.slice(-4)}`,
    });
    expect(result.integration!.warehouses.edges.map((edge) => edge.node)).toEqual([
      { name: 'BKK1CUST7', providerCode: 'BKK1', provider: 'ECCANG', kind: 'THIRD_PARTY', status: 'ACTIVE', country: 'TH' },
      { name: 'CGK1CUST7', providerCode: 'CGK1', provider: 'ECCANG', kind: 'THIRD_PARTY', status: 'ACTIVE', country: 'ID' },
    ]);
    expect(sim.simulator.received(account.appToken).map((call) => call.service)).toEqual(['getWarehouse']);
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(result.integration!.id) } });
    for (const secret of [account.appToken, account.appKey]) {
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(t.logs)).not.toContain(secret);
    }
    expect(t.providers.credentialsOf(row)).toEqual({ provider: 'ECCANG', ...account });
    await t.providers.drain();
    // The verifying call came before the integration existed: recorded, without an integration.
    const calls = await t.db.prisma.providerCall.findMany({ where: { provider: 'ECCANG', method: 'listWarehouses', outcome: 'OK' } });
    expect(calls.length).toBeGreaterThan(0);
    const metrics = await (await t.app.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/^provider_calls_total\{provider="ECCANG",method="listWarehouses",outcome="OK"\} \d+$/m);
    expect(metrics).not.toContain(account.appKey);
  });

  it('a push subscription ECCANG refuses (callback not reachable) keeps the binding, polled, and says why', async () => {
    // given: this app does not listen, so ECCANG's ?random= check of the callback fails

    // when
    const result = await bind({ ...newAccount(), customerCode: 'NOPUSH', subscribeNews: true });

    // then
    expect(result.userErrors).toEqual([]);
    expect(result.integration).toMatchObject({ status: 'ACTIVE', statusDelivery: 'POLL', lastError: expect.stringContaining('Push subscription failed') });
  });

  it('a wrong key is a userError and nothing is saved', async () => {
    // given
    const account = newAccount();
    const before = await t.db.prisma.warehouse.count();

    // when
    const result = await bind({ ...account, appKey: 'wrong-key-123456' });

    // then
    expect(result).toEqual({
      integration: null,
      userErrors: [{ field: ['input', 'appKey'], code: 'INVALID_CREDENTIALS', message: expect.stringContaining('ECCANG refused the credentials') }],
    });
    expect(await t.db.prisma.integration.count({ where: { baseUrl: sim.url, credentialsHint: '••••3456' } })).toBe(0);
    expect(await t.db.prisma.warehouse.count()).toBe(before);
  });

  it('ECCANG being down is a userError (try again), nothing saved', async () => {
    // given
    const account = newAccount();
    sim.simulator.injectFault({ kind: 'http5xx', count: 1 });

    // when
    const result = await bind(account);

    // then
    expect(result.userErrors).toEqual([{ field: null, code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('try again') }]);
    expect(result.integration).toBeNull();
  });

  it('checks the base URL before calling anything', async () => {
    const result = await bind({ ...newAccount(), baseUrl: 'ftp://wms.example.com' });

    expect(result.userErrors).toEqual([{ field: ['input', 'baseUrl'], code: 'BASE_URL_NOT_ALLOWED', message: 'baseUrl must be http(s)' }]);
  });

  it('reports every invalid field with its path', async () => {
    const result = await bind({ appToken: ' ', appKey: 'k', customerCode: 'has space' });

    expect(result.userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'appToken'], 'INVALID'],
      [['input', 'customerCode'], 'INVALID'],
    ]);
  });

  it('one token+key set binds to one merchant: another merchant gets TAKEN; the same merchant re-binding updates', async () => {
    // given
    const account = newAccount();
    const first = await bind(account);

    // when
    const taken = await bind(account, other.ownerToken);
    const again = await bind({ ...account, customerCode: 'C02' });

    // then
    expect(taken).toEqual({
      integration: null,
      userErrors: [{ field: ['input', 'appToken'], code: 'TAKEN', message: expect.stringContaining('already bound to another merchant account') }],
    });
    expect(again.integration!.id).toBe(first.integration!.id);
    expect(again.integration!.warehouses.edges.map((edge) => edge.node.name)).toEqual(['BKK1C02', 'CGK1C02']);
    const { integrations } = await t.data(Integrations);
    expect(integrations.edges.filter((edge) => edge.node.id === first.integration!.id)).toHaveLength(1);
  });

  it('two merchants binding the same set at the same moment: one gets it, the other TAKEN, never an error', async () => {
    // given
    const account = newAccount();

    // when
    const results = await Promise.all([bind({ ...account, customerCode: 'RACEA' }), bind({ ...account, customerCode: 'RACEB' }, other.ownerToken)]);

    // then
    const codes = results.map((result) => result.userErrors.map((error) => error.code)).sort();
    expect(codes).toEqual([[], ['TAKEN']]);
    expect(await t.db.prisma.integration.count({ where: { customerCode: { in: ['RACEA', 'RACEB'] } } })).toBe(1);
  });

  it("another merchant's token cannot manage this merchant's integration", async () => {
    // given
    const id = (await bind({ ...newAccount(), customerCode: 'MINE' })).integration!.id;

    // when
    const disabled = await t.data(Disable, { id }, { token: other.ownerToken });
    const synced = await t.data(SyncEccang, { id }, { token: other.ownerToken });

    // then
    expect(disabled.disableIntegration.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(synced.syncWarehouses.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['integrationId'] })]);
    expect((await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(id) } })).status).toBe('ACTIVE');
  });

  it('one merchant may hold many bindings', async () => {
    const a = await bind({ ...newAccount(), customerCode: 'MANYA' });
    const b = await bind({ ...newAccount(), customerCode: 'MANYB' });

    expect([a.userErrors, b.userErrors]).toEqual([[], []]);
    expect(a.integration!.id).not.toBe(b.integration!.id);
  });

  it('refuses a warehouse name another of the merchant warehouses has, saving nothing', async () => {
    // given
    const account = newAccount();
    await t.db.prisma.warehouse.create({ data: { merchantId: t.merchant.id, kind: 'OWN', name: 'BKK1CLASH' } });

    // when
    const result = await bind({ ...account, customerCode: 'CLASH' });

    // then
    expect(result.userErrors).toEqual([{ field: null, code: 'WAREHOUSE_NAME_TAKEN', message: expect.stringContaining('"BKK1CLASH"') }]);
    expect(await t.db.prisma.integration.count({ where: { customerCode: 'CLASH' } })).toBe(0);
  });

  it('syncWarehouses adds new warehouses, marks vanished ones, deletes nothing, and restores one that comes back', async () => {
    // given
    const account = newAccount();
    const bound = await bind({ ...account, customerCode: 'SYNC' });
    const id = bound.integration!.id;
    const warehouses = sim.simulator.account(account.appToken).warehouses;
    sim.simulator.seedWarehouses(account.appToken, [{ warehouse_code: 'MNL1', warehouse_name: 'Manila', country_code: 'PH' }]);
    const cgk = warehouses.splice(warehouses.findIndex((w) => w.warehouse_code === 'CGK1'), 1);

    // when
    const first = await t.data(SyncEccang, { id });
    sim.simulator.seedWarehouses(account.appToken, cgk);
    const second = await t.data(SyncEccang, { id });

    // then
    expect(first.syncWarehouses).toMatchObject({ added: 1, vanished: 1, restored: 0, userErrors: [] });
    expect(first.syncWarehouses.integration!.warehouses.edges.map((edge) => edge.node)).toEqual([
      { providerCode: 'BKK1', status: 'ACTIVE' },
      { providerCode: 'CGK1', status: 'VANISHED' },
      { providerCode: 'MNL1', status: 'ACTIVE' },
    ]);
    expect(second.syncWarehouses).toMatchObject({ added: 0, vanished: 0, restored: 1 });
    expect(await t.db.prisma.warehouse.count({ where: { integrationId: rowId(id) } })).toBe(3);
    await t.providers.drain();
    expect(await t.db.prisma.providerCall.count({ where: { integrationId: rowId(id), method: 'listWarehouses' } })).toBe(2);
  });

  it('rotation verifies the new credentials first, then releases the old set', async () => {
    // given
    const oldAccount = newAccount();
    const bound = await bind({ ...oldAccount, customerCode: 'ROT' });
    const id = bound.integration!.id;
    const newKey = 'rotated-key-9f3a';
    sim.simulator.seedAccount(oldAccount.appToken, newKey);

    // when
    const wrong = await t.data(Rotate, { id, input: { appToken: oldAccount.appToken, appKey: 'not-the-key' } });
    const rotated = await t.data(Rotate, { id, input: { appToken: oldAccount.appToken, appKey: newKey } });

    // then
    expect(wrong.rotateIntegrationCredentials.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_CREDENTIALS', field: ['input', 'appKey'] })]);
    expect(rotated.rotateIntegrationCredentials).toEqual({ integration: { status: 'ACTIVE', credentialsHint: '••••9f3a' }, authorizationUrl: null, userErrors: [] });
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(id) } });
    expect(t.providers.credentialsOf(row)).toMatchObject({ appKey: newKey });
  });

  it('disable stops work and is recorded; enable verifies the credentials again', async () => {
    // given
    const account = newAccount();
    const id = (await bind({ ...account, customerCode: 'DIS' })).integration!.id;

    // when
    const disabled = await t.data(Disable, { id });
    sim.simulator.seedAccount(account.appToken, 'changed-at-eccang');
    const refused = await t.data(Enable, { id });
    sim.simulator.seedAccount(account.appToken, account.appKey);
    const enabled = await t.data(Enable, { id });

    // then
    expect(disabled.disableIntegration).toEqual({ integration: { status: 'DISABLED', disabledAt: expect.any(String) }, userErrors: [] });
    expect(refused.enableIntegration.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_CREDENTIALS' })]);
    expect(enabled.enableIntegration).toEqual({ integration: { status: 'ACTIVE' }, userErrors: [] });
    const history = await t.db.prisma.statusChange.findMany({ where: { subjectId: rowId(id) }, orderBy: { id: 'asc' } });
    expect(history.map((change) => `${change.fromStatus}→${change.toStatus}`)).toEqual(['null→ACTIVE', 'ACTIVE→DISABLED', 'DISABLED→AUTH_FAILED', 'AUTH_FAILED→ACTIVE']);
  });

  it('unbind forgets the credentials and releases them; another merchant may then bind them', async () => {
    // given
    const account = newAccount();
    const id = (await bind({ ...account, customerCode: 'UNB' })).integration!.id;

    // when
    const unbound = await t.data(Unbind, { id });
    const byOther = await bind({ ...account, customerCode: 'UNB2' }, other.ownerToken);

    // then
    expect(unbound.unbindIntegration).toEqual({ integration: { status: 'UNBOUND', credentialsHint: '(unbound)' }, userErrors: [] });
    expect(byOther.userErrors).toEqual([]);
    const warehouses = await t.db.prisma.warehouse.findMany({ where: { integrationId: rowId(id) } });
    expect(warehouses.map((w) => w.status)).toEqual(['DISABLED', 'DISABLED']);
  });

  it('binding again after unbinding revives the same integration and its warehouses', async () => {
    // given
    const account = newAccount();
    const id = (await bind({ ...account, customerCode: 'REV' })).integration!.id;
    await t.data(Unbind, { id });

    // when
    const again = await bind({ ...account, customerCode: 'REV' });

    // then
    expect(again.userErrors).toEqual([]);
    expect(again.integration!.id).toBe(id);
    expect(again.integration!.warehouses.edges.map((edge) => edge.node.status)).toEqual(['ACTIVE', 'ACTIVE']);
  });
});
