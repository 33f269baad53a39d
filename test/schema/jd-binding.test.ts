// Binding JD through GraphQL, end to end over real HTTP: bindJd → JD's login page (simulator) →
// redirect to /oauth/jd/callback → tokens stored sealed, warehouse named, binding ACTIVE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJdSimulator } from '../../src/providers/jd/simulator.ts';
import { graphql } from '../generated/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';
import { rowId } from '../helpers/fixtures.ts';
import { testEndpoints } from '../helpers/providers.ts';

const BindJd = graphql(`
  mutation JdBind($input: BindJdInput!) {
    bindJd(input: $input) {
      authorizationUrl
      integration { id provider status jdMode jdPin customerCode credentialsHint statusDelivery }
      userErrors { field message code }
    }
  }
`);

const CompleteJd = graphql(`
  mutation JdComplete($input: CompleteJdAuthorizationInput!) {
    completeJdAuthorization(input: $input) {
      integration { id status }
      userErrors { field message code }
    }
  }
`);

const JdIntegration = graphql(`
  query JdIntegration($id: ID!) {
    node(id: $id) {
      ... on Integration {
        status statusDelivery credentialsHint accessTokenExpiresAt lastError
        warehouses(first: 10) { edges { node { name providerCode provider kind status } } }
      }
    }
  }
`);

const SyncJd = graphql(`
  mutation JdSync($id: ID!) {
    syncWarehouses(integrationId: $id) { added vanished userErrors { code message } }
  }
`);

const PLATFORM = { appKey: 'platform-app', appSecret: 'platform-secret-0001' };
const DEPT = 'EBU0000001';

describe('bindJd', () => {
  let sim: Awaited<ReturnType<typeof startJdSimulator>>;
  let t: TestApp;
  let http: Awaited<ReturnType<TestApp['listen']>>;
  let other: TestMerchant;
  let pinSeq = 0;
  const nextPin = () => `jd_pin_${++pinSeq}`;

  beforeAll(async () => {
    sim = await startJdSimulator();
    sim.addApp(PLATFORM.appKey, PLATFORM.appSecret);
    sim.addApp('merchant-own-app', 'merchant-own-secret');
    sim.addDept(DEPT, [
      { warehouseNo: 'WH001', warehouseName: 'Bangkok' },
      { warehouseNo: 'WH002', warehouseName: 'Jakarta' },
    ]);
    t = await TestApp.create({
      endpoints: testEndpoints({
        jd: { routerUrl: sim.routerUrl, oauthUrl: sim.url, platformApp: PLATFORM, pushRegistrationUrl: sim.pushRegistrationUrl },
      }),
    });
    http = await t.listen();
    other = await t.createMerchant('Other merchant');
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
    await sim?.close();
  });

  /** The merchant's browser: opens JD's login page, follows the redirect to our callback. */
  async function authorizeInBrowser(authorizationUrl: string): Promise<{ status: number; html: string; callback: URL }> {
    const login = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const callback = new URL(login.headers.get('location')!);
    const answer = await fetch(callback);
    return { status: answer.status, html: await answer.text(), callback };
  }

  async function startBinding(input: Record<string, unknown> & { pin: string }, token = t.merchant.ownerToken) {
    const result = await t.data(BindJd, { input: { mode: 'QUICK', deptNo: DEPT, warehouseNo: 'WH001', ...input } as never }, { token });
    return result.bindJd;
  }

  it('QUICK: returns JD login URL; the callback stores tokens sealed and creates <warehouseNo>-<deptNo>-<PIN>', async () => {
    // given
    const pin = nextPin();
    const started = await startBinding({ pin });
    expect(started.userErrors).toEqual([]);
    expect(started.integration).toMatchObject({ status: 'PENDING_AUTHORIZATION', jdMode: 'QUICK', jdPin: pin, customerCode: DEPT });
    const authorizationUrl = new URL(started.authorizationUrl!);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${sim.url}/oauth2/to_login`);
    expect(authorizationUrl.searchParams.get('app_key')).toBe(PLATFORM.appKey);
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(`${http.url}/oauth/jd/callback`);
    expect(authorizationUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);

    // when
    const { status, html } = await authorizeInBrowser(started.authorizationUrl!);

    // then
    expect(status).toBe(200);
    expect(html).toContain('JD account bound');
    const { node } = await t.data(JdIntegration, { id: started.integration!.id });
    expect(node).toMatchObject({ status: 'ACTIVE', statusDelivery: 'POLL', credentialsHint: expect.stringMatching(/^••••.{4}$/), lastError: null });
    expect(node && 'warehouses' in node && node.warehouses.edges.map((edge) => edge.node)).toEqual([
      { name: `WH001-${DEPT}-${pin}`, providerCode: 'WH001', provider: 'JD', kind: 'THIRD_PARTY', status: 'ACTIVE' },
    ]);
    const row = await t.db.prisma.integration.findFirstOrThrow({ where: { accountId: pin } });
    const credentials = t.providers.credentialsOf(row);
    expect(credentials).toMatchObject({ provider: 'JD', ownApp: null, accessToken: expect.any(String) });
    if (credentials.provider !== 'JD') throw new Error('not JD');
    expect(row.credentialsEncrypted).not.toContain(credentials.accessToken);
    expect(row.credentialFingerprint).not.toContain(pin);
    const logged = JSON.stringify(t.logs);
    expect(logged).not.toContain(credentials.accessToken);
    expect(logged).not.toContain(PLATFORM.appSecret);
    const history = await t.db.prisma.statusChange.findMany({ where: { subjectId: row.id }, orderBy: { id: 'asc' } });
    expect(history.map((change) => [change.fromStatus, change.toStatus])).toEqual([
      [null, 'PENDING_AUTHORIZATION'],
      ['PENDING_AUTHORIZATION', 'ACTIVE'],
    ]);
  });

  it('a state works once: replaying the callback is refused, and so is an unknown state', async () => {
    // given
    const started = await startBinding({ pin: nextPin() });
    const { callback } = await authorizeInBrowser(started.authorizationUrl!);

    // when
    const replay = await fetch(callback);
    const forged = await fetch(`${http.url}/oauth/jd/callback?code=abc&state=not-a-state`);
    const cancelled = await fetch(`${http.url}/oauth/jd/callback?state=x`);

    // then
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Unknown authorization state');
    expect(cancelled.status).toBe(400);
  });

  it('completeJdAuthorization: API clients finish the flow themselves; another merchant cannot use the state', async () => {
    // given
    const started = await startBinding({ pin: nextPin() });
    const login = await fetch(started.authorizationUrl!, { redirect: 'manual' });
    const callback = new URL(login.headers.get('location')!);
    const input = { state: callback.searchParams.get('state')!, code: callback.searchParams.get('code')! };

    // when
    const intruder = await t.data(CompleteJd, { input }, { token: other.ownerToken });
    const owner = await t.data(CompleteJd, { input });

    // then
    expect(intruder.completeJdAuthorization).toEqual({ integration: null, userErrors: [expect.objectContaining({ code: 'STATE_INVALID', field: ['input', 'state'] })] });
    expect(owner.completeJdAuthorization).toEqual({ integration: { id: started.integration!.id, status: 'ACTIVE' }, userErrors: [] });
  });

  it('one PIN binds to one merchant: another merchant gets TAKEN; the same merchant re-authorises the same integration', async () => {
    // given
    const pin = nextPin();
    const first = await startBinding({ pin });
    await authorizeInBrowser(first.authorizationUrl!);

    // when
    const taken = await startBinding({ pin: pin.toUpperCase() }, other.ownerToken);
    const again = await startBinding({ pin, warehouseNo: 'WH002' });
    await authorizeInBrowser(again.authorizationUrl!);

    // then
    expect(taken.integration).toBeNull();
    expect(taken.userErrors).toEqual([{ field: ['input', 'pin'], code: 'TAKEN', message: expect.stringContaining('one credential set binds to one merchant only') }]);
    expect(again.integration!.id).toBe(first.integration!.id);
    const warehouses = await t.db.prisma.warehouse.findMany({ where: { integrationId: rowId(first.integration!.id) }, orderBy: { name: 'asc' } });
    expect(warehouses.map((w) => w.name)).toEqual([`WH001-${DEPT}-${pin}`, `WH002-${DEPT}-${pin}`]);
  });

  it('BASIC needs the merchant app key and secret, and signs with them', async () => {
    // given
    const missing = await startBinding({ pin: nextPin(), mode: 'BASIC', appKey: 'merchant-own-app' });
    const quickWithKey = await startBinding({ pin: nextPin(), appKey: 'x' });

    // when
    const basic = await startBinding({ pin: nextPin(), mode: 'BASIC', appKey: 'merchant-own-app', appSecret: 'merchant-own-secret' });
    const { status } = await authorizeInBrowser(basic.authorizationUrl!);

    // then
    expect(missing.userErrors).toEqual([{ field: ['input', 'appSecret'], code: 'INVALID', message: expect.stringContaining('BASIC') }]);
    expect(quickWithKey.userErrors).toEqual([{ field: ['input', 'appKey'], code: 'INVALID', message: expect.stringContaining('QUICK') }]);
    expect(new URL(basic.authorizationUrl!).searchParams.get('app_key')).toBe('merchant-own-app');
    expect(status).toBe(200);
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(basic.integration!.id) } });
    expect(row.jdMode).toBe('BASIC');
    expect(t.providers.credentialsOf(row)).toMatchObject({ ownApp: { appKey: 'merchant-own-app', appSecret: 'merchant-own-secret' } });
  });

  it('a warehouse number the department does not have is refused at the callback; the binding stays pending', async () => {
    // given
    const started = await startBinding({ pin: nextPin(), warehouseNo: 'NOPE1' });

    // when
    const { status, html } = await authorizeInBrowser(started.authorizationUrl!);

    // then
    expect(status).toBe(400);
    expect(html).toContain('has no warehouse NOPE1');
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(started.integration!.id) } });
    expect(row.status).toBe('PENDING_AUTHORIZATION');
  });

  it('subscribeMessages registers the JD push callback and records PUSH delivery', async () => {
    // given
    const started = await startBinding({ pin: nextPin(), subscribeMessages: true });

    // when
    await authorizeInBrowser(started.authorizationUrl!);

    // then
    const { node } = await t.data(JdIntegration, { id: started.integration!.id });
    expect(node).toMatchObject({ status: 'ACTIVE', statusDelivery: 'PUSH' });
  });

  it('refreshes an expiring access token before calling JD, and stores the new one', async () => {
    // given
    const started = await startBinding({ pin: nextPin() });
    await authorizeInBrowser(started.authorizationUrl!);
    const id = started.integration!.id;
    const before = t.providers.credentialsOf(await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(started.integration!.id) } }));
    await t.db.prisma.integration.update({ where: { id: rowId(started.integration!.id) }, data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });

    // when
    const synced = await t.data(SyncJd, { id });

    // then
    expect(synced.syncWarehouses).toEqual({ added: 0, vanished: 0, userErrors: [] });
    const row = await t.db.prisma.integration.findUniqueOrThrow({ where: { id: rowId(started.integration!.id) } });
    const after = t.providers.credentialsOf(row);
    expect(after.provider === 'JD' && before.provider === 'JD' && after.accessToken !== before.accessToken).toBe(true);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
  });
});

describe('bindJd without the platform app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  it('QUICK is refused with NOT_CONFIGURED and nothing is saved', async () => {
    const result = await t.data(BindJd, { input: { mode: 'QUICK', pin: 'p1', deptNo: DEPT, warehouseNo: 'WH001' } });

    expect(result.bindJd.userErrors).toEqual([{ field: null, code: 'NOT_CONFIGURED', message: expect.stringContaining('JD_APP_KEY') }]);
    expect(await t.db.prisma.integration.count()).toBe(0);
  });
});
