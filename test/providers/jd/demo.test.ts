// seedJdDemo: a JD simulator ready for a demo merchant to bind, by token or through OAuth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdProvider } from '../../../src/providers/jd/client.ts';
import { buildJdAuthorizeUrl, exchangeJdCode } from '../../../src/providers/jd/oauth.ts';
import { seedJdDemo, startJdSimulator } from '../../../src/providers/jd/simulator.ts';

let sim: Awaited<ReturnType<typeof startJdSimulator>>;
let seeded: ReturnType<typeof seedJdDemo>;

beforeAll(async () => {
  sim = await startJdSimulator();
  seeded = seedJdDemo(sim, { appKey: 'demo-app', appSecret: 'demo-secret', deptNo: 'EBU-DEMO', skus: ['TSHIRT-RED-M', 'MUG-WHITE'] });
});
afterAll(() => sim.close());

const client = (accessToken: string) => createJdProvider({ routerUrl: sim.routerUrl, appKey: 'demo-app', appSecret: 'demo-secret', accessToken, deptNo: 'EBU-DEMO' });

describe('seedJdDemo', () => {
  it('registers the app and department with two warehouses, each stocked with every SKU', async () => {
    // when
    const warehouses = await client(seeded.accessToken).listWarehouses();
    const pages = await Promise.all(warehouses.map((warehouse) => client(seeded.accessToken).inventoryPage({ warehouseCode: warehouse.code, cursor: null, pageSize: 50 })));
    // then
    expect(seeded.skus).toEqual(['TSHIRT-RED-M', 'MUG-WHITE']);
    expect(warehouses.map((warehouse) => warehouse.code)).toEqual(['110000001', '110000002']);
    for (const page of pages) {
      expect(page.items).toEqual([
        { sku: 'TSHIRT-RED-M', onHand: 100, reserved: 0 },
        { sku: 'MUG-WHITE', onHand: 100, reserved: 0 },
      ]);
    }
  });

  it('leaves OAuth working: to_login auto-approves with a 302 to redirect_uri carrying code and state', async () => {
    // given
    const redirectUri = 'http://127.0.0.1:1/oauth/jd/callback';
    // when
    const response = await fetch(buildJdAuthorizeUrl({ baseUrl: sim.url, appKey: 'demo-app', redirectUri, state: 'st-1' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    const token = await exchangeJdCode({ baseUrl: sim.url, appKey: 'demo-app', appSecret: 'demo-secret', code: location.searchParams.get('code')! });
    // then
    expect(response.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    await expect(client(token.accessToken).verifyCredentials()).resolves.toBeUndefined();
  });

  it('reseeding a SKU replaces its stock row instead of adding a second', async () => {
    // when
    seedJdDemo(sim, { appKey: 'demo-app', appSecret: 'demo-secret', deptNo: 'EBU-DEMO', skus: ['MUG-WHITE'] });
    const page = await client(seeded.accessToken).inventoryPage({ warehouseCode: '110000001', cursor: null, pageSize: 50 });
    // then
    expect(page.items.map((item) => item.sku)).toEqual(['TSHIRT-RED-M', 'MUG-WHITE']);
  });
});
