// One ECCANG host, two customer accounts: over real HTTP with the real client, each account sees
// and changes only its own warehouses, orders, ASNs and inventory, and gets only its own pushes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEccangProvider } from '../../../src/providers/eccang/client.ts';
import { buildCallServiceEnvelope, parseCallServiceResponse } from '../../../src/providers/eccang/soap.ts';
import { startEccangSimulator, type RunningEccangSimulator } from '../../../src/providers/eccang/simulator.ts';
import { listen, type Listening } from '../../../src/providers/simulator-server.ts';
import { sampleOrder } from './fixtures.ts';

let sim: RunningEccangSimulator;
let receiver: Listening;
let posts: { path: string; body: { app_key: string; subscript_type: string; body: Record<string, string> } }[];

beforeAll(async () => {
  sim = await startEccangSimulator();
  receiver = await listen(async (request) => {
    const url = new URL(request.url);
    if (request.method === 'GET') return Response.json({ random: url.searchParams.get('random') });
    posts.push({ path: url.pathname, body: await request.json() });
    return new Response('ok');
  });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  posts = [];
  sim.simulator.reset();
  sim.simulator.seedAccount('token-a', 'key-a');
  sim.simulator.seedAccount('token-b', 'key-b');
  // The same warehouse code at both accounts: one account's objects still never reach the other.
  sim.simulator.seedWarehouses('token-a', [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok (A)', country_code: 'TH' }]);
  sim.simulator.seedWarehouses('token-b', [
    { warehouse_code: 'BKK1', warehouse_name: 'Bangkok (B)', country_code: 'TH' },
    { warehouse_code: 'JKT1', warehouse_name: 'Jakarta (B)', country_code: 'ID' },
  ]);
});

const clientA = () => createEccangProvider({ baseUrl: sim.url, appToken: 'token-a', appKey: 'key-a' });
const clientB = () => createEccangProvider({ baseUrl: sim.url, appToken: 'token-b', appKey: 'key-b' });

/** A raw SOAP call as account A. */
async function rawAsA(service: string, params: unknown) {
  const response = await fetch(`${sim.url}/default/svc/web-service`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildCallServiceEnvelope({ paramsJson: JSON.stringify(params), appToken: 'token-a', appKey: 'key-a', service, language: 'en_US' }),
  });
  return JSON.parse(parseCallServiceResponse(await response.text())) as Record<string, unknown>;
}

describe('two accounts on one ECCANG host', () => {
  it('each lists only its own warehouses', async () => {
    expect(await clientA().listWarehouses()).toEqual([{ code: 'BKK1', name: 'Bangkok (A)', country: 'TH' }]);
    expect((await clientB().listWarehouses()).map((w) => w.name)).toEqual(['Bangkok (B)', 'Jakarta (B)']);
  });

  it("keeps orders apart: the same reference at both, and no reading or cancelling the other's", async () => {
    // given
    const a = await clientA().createOutbound(sampleOrder('OUT-1'));
    const b = await clientB().createOutbound(sampleOrder('OUT-1'));
    // when
    const aSeesB = await clientA().getOutbound([b.providerRef]);
    const byCode = await rawAsA('getOrderByCode', { order_code: b.providerRef });
    const cancel = await clientA().cancelOutbound(b.providerRef).catch((error: unknown) => error);
    // then
    expect(a.providerRef).not.toBe(b.providerRef);
    expect(aSeesB).toEqual([]);
    expect(byCode).toMatchObject({ ask: 'Failure', Error: { errCode: 'NOT_FOUND' } });
    expect(cancel).toMatchObject({ code: 'NOT_FOUND' });
    expect((await clientB().getOutbound([b.providerRef]))[0]).toMatchObject({ reference: 'OUT-1', status: 'CREATED' });
    expect(await rawAsA('getOrderByRefCode', { reference_no: 'OUT-1' })).toMatchObject({ data: { order_code: a.providerRef } });
  });

  it("keeps ASNs apart, and put-away stock lands at the owner's", async () => {
    // given
    const a = await clientA().createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'A-1', quantity: 5 }] });
    const b = await clientB().createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'B-1', quantity: 7 }] });
    // when
    sim.simulator.setAsnStatus(b.providerRef, 10);
    const aSeesB = await clientA().getInbound([b.providerRef]);
    const cancel = await clientA().cancelInbound(b.providerRef).catch((error: unknown) => error);
    // then
    expect(aSeesB).toEqual([]);
    expect(cancel).toMatchObject({ code: 'NOT_FOUND' });
    expect((await clientA().getInbound([a.providerRef]))[0]).toMatchObject({ reference: 'IN-1', status: 'SUBMITTED' });
    expect((await clientB().getInbound([b.providerRef]))[0]).toMatchObject({ reference: 'IN-1', status: 'COMPLETED' });
    expect((await clientA().inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10 })).items).toEqual([]);
    expect((await clientB().inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10 })).items).toEqual([{ sku: 'B-1', onHand: 7, reserved: 0 }]);
  });

  it('keeps inventory apart', async () => {
    // given
    sim.simulator.seedInventory('token-a', { warehouseCode: 'BKK1', skus: ['TEA'], sellable: 3 });
    sim.simulator.seedInventory('token-b', { warehouseCode: 'BKK1', skus: ['TEA', 'MUG'], sellable: 9 });
    // when
    const a = await clientA().inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10 });
    const b = await clientB().inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10 });
    // then
    expect(a.items).toEqual([{ sku: 'TEA', onHand: 3, reserved: 0 }]);
    expect(b.items).toEqual([
      { sku: 'TEA', onHand: 9, reserved: 0 },
      { sku: 'MUG', onHand: 9, reserved: 0 },
    ]);
  });

  it('pushes a change only to the subscriptions of the account that owns the object', async () => {
    // given
    await clientA().registerPush(`${receiver.url}/webhooks/eccang/a`);
    await clientB().registerPush(`${receiver.url}/webhooks/eccang/b`);
    const { providerRef } = await clientB().createOutbound(sampleOrder('OUT-1'));
    // when
    sim.simulator.setOrderStatus(providerRef, 'W');
    sim.simulator.progressOnce('token-a');
    await sim.simulator.settled();
    // then
    expect(posts).toEqual([{ path: '/webhooks/eccang/b', body: expect.objectContaining({ app_key: 'key-b', subscript_type: 'order', body: { order_code: providerRef, warehouse_code: 'BKK1' } }) }]);
  });

  it('the control API reports per account and refuses an unknown or missing one', async () => {
    // given
    await clientA().createOutbound(sampleOrder('OUT-A'));
    await clientB().createOutbound(sampleOrder('OUT-B'));
    const control = (path: string, body?: unknown) =>
      fetch(`${sim.url}/__control${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // when
    const received = (await (await control('/received?appToken=token-a')).json()) as { calls: { appToken: string }[]; orders: { reference_no: string }[] };
    const unknown = await control('/warehouses', { appToken: 'token-x', warehouses: [] });
    const missing = await control('/received');
    // then
    expect(received.orders.map((o) => o.reference_no)).toEqual(['OUT-A']);
    expect(new Set(received.calls.map((c) => c.appToken))).toEqual(new Set(['token-a']));
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'no account token-x' }]);
    expect([missing.status, await missing.json()]).toEqual([400, { error: 'appToken is required' }]);
  });
});
