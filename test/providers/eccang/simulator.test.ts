// The ECCANG simulator itself: its control API over HTTP, its rules, and push delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEccangProvider } from '../../../src/providers/eccang/client.ts';
import { buildCallServiceEnvelope, parseCallServiceResponse } from '../../../src/providers/eccang/soap.ts';
import { sampleOrder } from './fixtures.ts';
import { startEccangSimulator, type RunningEccangSimulator } from '../../../src/providers/eccang/simulator.ts';

let sim: RunningEccangSimulator;

beforeAll(async () => {
  sim = await startEccangSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.simulator.reset();
});

const control = async (path: string, body?: unknown) => {
  const response = await fetch(`${sim.url}/__control${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

/** A raw SOAP call, as any client would send it. */
async function raw(service: string, params: unknown, appKey = 'key-1') {
  const response = await fetch(`${sim.url}/default/svc/web-service`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildCallServiceEnvelope({ paramsJson: JSON.stringify(params), appToken: 'token-1', appKey, service, language: 'en_US' }),
  });
  expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  return JSON.parse(parseCallServiceResponse(await response.text())) as Record<string, unknown>;
}

describe('control API over HTTP', () => {
  it('seeds accounts, warehouses and inventory, advances statuses and reports what it received', async () => {
    // given
    await control('/accounts', { appToken: 'token-1', appKey: 'key-1' });
    await control('/warehouses', { appToken: 'token-1', warehouses: [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok', country_code: 'TH' }] });
    const seeded = await control('/inventory', { appToken: 'token-1', warehouseCode: 'BKK1', count: 3, sellable: 5 });
    const provider = createEccangProvider({ baseUrl: sim.url, appToken: 'token-1', appKey: 'key-1' });
    // when
    const { providerRef } = await provider.createOutbound(sampleOrder('OUT-1', { shippingMethod: 'STD', trackingNumber: 'T1', lines: [{ sku: 'SKU-00001', quantity: 1 }] }));
    const advanced = await control(`/orders/${providerRef}/status`, { status: 'D', tracking_no: 'TRK' });
    const { providerRef: asn } = await provider.createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'SKU-00001', quantity: 4 }] });
    await control(`/asns/${asn}/status`, { status: 10 });
    const received = await control('/received?appToken=token-1');
    // then
    expect(seeded.json.skus).toEqual(['SKU-00001', 'SKU-00002', 'SKU-00003']);
    expect(advanced.json).toMatchObject({ order_code: providerRef, order_status: 'D', tracking_no: 'TRK' });
    expect((received.json.orders as unknown[]).length).toBe(1);
    expect((received.json.calls as { service: string }[]).map((c) => c.service)).toEqual(['createOrder', 'createAsn']);
    expect((await provider.getOutbound([providerRef]))[0]?.status).toBe('COMPLETED');
    expect((await provider.inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 1, skus: ['SKU-00001'] })).items).toEqual([{ sku: 'SKU-00001', onHand: 9, reserved: 0 }]);
  });

  it('injects faults through HTTP', async () => {
    // given
    await control('/accounts', { appToken: 'token-1', appKey: 'key-1' });
    await control('/faults', { kind: 'failure', errCode: 'X1', errMessage: 'nope' });
    // when
    const first = await raw('getWarehouse', {});
    const second = await raw('getWarehouse', {});
    // then
    expect(first).toMatchObject({ ask: 'Failure', Error: { errCode: 'X1', errMessage: 'nope' } });
    expect(second).toMatchObject({ ask: 'Success' });
  });

  it('answers unknown control routes with 404 and bad input with 400', async () => {
    expect((await control('/nope', {})).status).toBe(404);
    expect((await control('/orders/NOPE/status', { status: 'D' })).status).toBe(400);
  });
});

describe('wire rules', () => {
  beforeEach(() => {
    sim.simulator.seedAccount('token-1', 'key-1');
    sim.simulator.seedWarehouses('token-1', [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok', country_code: 'TH' }]);
  });

  it('answers a wrong appKey with an auth-type Failure', async () => {
    expect(await raw('getWarehouse', {}, 'bad')).toEqual({ ask: 'Failure', message: 'appToken or appKey is invalid', Error: { errCode: 'AUTH_FAILED', errMessage: 'appToken or appKey is invalid' } });
  });

  it('keeps reference_no unique', async () => {
    // given
    const params = { reference_no: 'R1', shipping_method: 'S', warehouse_code: 'BKK1', country_code: 'TH', address1: 'a', zipcode: 'z', name: 'n', phone: 'p', items: [{ product_sku: 'A', quantity: 1 }] };
    // when
    const first = await raw('createOrder', params);
    const second = await raw('createOrder', params);
    // then
    expect(first).toMatchObject({ ask: 'Success', order_code: expect.any(String) });
    expect(second).toMatchObject({ ask: 'Failure', Error: { errCode: 'REFERENCE_EXISTS' } });
    expect(sim.simulator.account('token-1').orders.size).toBe(1);
  });

  it('enforces getAsnList pageSize ≤ 20', async () => {
    expect(await raw('getAsnList', { page: 1, pageSize: 21 })).toMatchObject({ ask: 'Failure' });
    expect(await raw('getAsnList', { page: 1, pageSize: 20 })).toMatchObject({ ask: 'Success', data: [] });
  });

  it('sends nextPage as "true"/"false" strings on inventory', async () => {
    sim.simulator.seedInventory('token-1', { warehouseCode: 'BKK1', count: 3 });
    expect(await raw('getProductInventory', { page: 1, pageSize: 2 })).toMatchObject({ nextPage: 'true', count: 3 });
  });

  it('answers a broken envelope with a SOAP fault and unknown paths with 404', async () => {
    const broken = await fetch(`${sim.url}/default/svc/web-service`, { method: 'POST', body: 'hello' });
    expect(broken.status).toBe(500);
    expect(await broken.text()).toContain('<SOAP-ENV:Fault>');
    expect((await fetch(`${sim.url}/elsewhere`)).status).toBe(404);
  });
});

describe('push (messageSubscript)', () => {
  let receiver: Server;
  let callback: string;
  let echo: boolean;
  let posts: unknown[];
  let verifications: string[];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'GET') {
        const random = url.searchParams.get('random') ?? '';
        verifications.push(random);
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ random: echo ? random : 'wrong' }));
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/eccang/secret-token`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(() => {
    echo = true;
    posts = [];
    verifications = [];
    sim.simulator.seedAccount('token-1', 'key-1');
    sim.simulator.seedWarehouses('token-1', [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok', country_code: 'TH' }]);
  });

  const provider = () => createEccangProvider({ baseUrl: sim.url, appToken: 'token-1', appKey: 'key-1' });

  it('verifies the callback with ?random=N, then pushes changes for the client to pull', async () => {
    // given
    await provider().registerPush(callback);
    const { providerRef } = await provider().createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'A', quantity: 1 }] });
    // when
    sim.simulator.setAsnStatus(providerRef, 8);
    await sim.simulator.settled();
    // then
    expect(verifications).toHaveLength(3);
    expect(sim.simulator.account('token-1').subscriptions.map((s) => s.subscript_type)).toEqual(['order', 'receiving', 'stock']);
    expect(posts).toEqual([{ app_key: 'key-1', msg_id: expect.stringMatching(/^MSG\d+$/), subscript_type: 'receiving', body: { receiving_code: providerRef, warehouse_code: 'BKK1' } }]);
    expect(sim.simulator.pushes.map((p) => p.status)).toEqual([200]);
  });

  it('can send each push twice with the same msg_id (for dedupe tests)', async () => {
    // given
    await provider().registerPush(callback);
    sim.simulator.setPushBehaviour({ duplicate: true });
    const { providerRef } = await provider().createOutbound(sampleOrder('OUT-1', { shippingMethod: 'STD', trackingNumber: 'T1', lines: [{ sku: 'A', quantity: 1 }] }));
    // when
    sim.simulator.setOrderStatus(providerRef, 'W');
    await sim.simulator.settled();
    // then
    expect(posts).toHaveLength(2);
    expect(posts[0]).toEqual(posts[1]);
    expect(posts[0]).toMatchObject({ subscript_type: 'order', body: { order_code: providerRef, warehouse_code: 'BKK1' } });
  });

  it('refuses a callback that does not echo random', async () => {
    // given
    echo = false;
    // when / then
    await expect(provider().registerPush(callback)).rejects.toMatchObject({ code: 'REJECTED' });
    expect(sim.simulator.account('token-1').subscriptions).toEqual([]);
  });
});

describe('scheduled progression', () => {
  it('moves orders C → W → D and ASNs 1 → 7 → 8 → 10 on a timer', async () => {
    // given
    const own = await startEccangSimulator({ autoProgressMs: 10 });
    try {
      own.simulator.seedAccount('t', 'k');
      own.simulator.seedWarehouses('t', [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok', country_code: 'TH' }]);
      const provider = createEccangProvider({ baseUrl: own.url, appToken: 't', appKey: 'k' });
      const { providerRef: asn } = await provider.createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'A', quantity: 3 }] });
      const { providerRef: out } = await provider.createOutbound(sampleOrder('OUT-1', { shippingMethod: 'STD', trackingNumber: 'T1', lines: [{ sku: 'A', quantity: 1 }] }));
      // when / then
      await expect.poll(async () => (await provider.getOutbound([out]))[0]?.status, { timeout: 5_000, interval: 10 }).toBe('COMPLETED');
      await expect.poll(async () => (await provider.getInbound([asn]))[0]?.status, { timeout: 5_000, interval: 10 }).toBe('COMPLETED');
      expect((await provider.inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10 })).items).toEqual([{ sku: 'A', onHand: 3, reserved: 0 }]);
    } finally {
      await own.close();
    }
  });
});

describe('closing', () => {
  it('close() ends hanging requests', async () => {
    // given
    const own = await startEccangSimulator();
    own.simulator.seedAccount('t', 'k');
    own.simulator.injectFault({ kind: 'hang' });
    const pending = createEccangProvider({ baseUrl: own.url, appToken: 't', appKey: 'k', timeoutMs: 30_000 }).verifyCredentials().catch((e: unknown) => e);
    await expect.poll(() => own.simulator.hangingRequests, { timeout: 5_000 }).toBe(1);
    // when
    await own.close();
    // then
    expect(await pending).toMatchObject({ code: expect.stringMatching(/UNAVAILABLE|TIMEOUT/) });
  });
});
