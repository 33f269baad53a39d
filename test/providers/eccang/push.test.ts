// Reading ECCANG pushes: what the simulator really sends, captured on a local listener that
// answers the ?random=N check with eccangCallbackEcho; malformed bodies refused with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEccangProvider } from '../../../src/providers/eccang/client.ts';
import { eccangCallbackEcho, parseEccangPush } from '../../../src/providers/eccang/push.ts';
import { startEccangSimulator, type RunningEccangSimulator } from '../../../src/providers/eccang/simulator.ts';
import { listen, type Listening } from '../../../src/providers/simulator-server.ts';
import { sampleOrder } from './fixtures.ts';

let sim: RunningEccangSimulator;
let receiver: Listening;
const posts: string[] = [];

beforeAll(async () => {
  sim = await startEccangSimulator();
  receiver = await listen(async (request) => {
    if (request.method === 'GET') return new Response(eccangCallbackEcho(new URL(request.url).searchParams.get('random') ?? ''), { headers: { 'content-type': 'application/json' } });
    posts.push(await request.text());
    return new Response('ok');
  });
  sim.simulator.seedAccount('token-1', 'key-1');
  sim.simulator.seedWarehouses('token-1', [{ warehouse_code: 'BKK1', warehouse_name: 'Bangkok', country_code: 'TH' }]);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('eccangCallbackEcho', () => {
  it('answers exactly {"random":"N"}', () => {
    expect(eccangCallbackEcho('12345')).toBe('{"random":"12345"}');
  });
});

describe('parseEccangPush', () => {
  it('reads the order, receiving and stock pushes the simulator sends', async () => {
    // given: registered through the client, so the simulator verified our echo
    const client = createEccangProvider({ baseUrl: sim.url, appToken: 'token-1', appKey: 'key-1' });
    await client.registerPush(`${receiver.url}/webhooks/eccang/secret`);
    const { providerRef: order } = await client.createOutbound(sampleOrder('OUT-1'));
    const { providerRef: asn } = await client.createInbound({ reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'SKU-1', quantity: 2 }] });
    // when
    sim.simulator.setOrderStatus(order, 'W');
    sim.simulator.setAsnStatus(asn, 10);
    await sim.simulator.settled();
    const results = posts.map((body) => parseEccangPush(JSON.parse(body)));
    // then
    const message = (topic: string) => ({ messageId: expect.stringMatching(/^MSG\d+$/), topic, appKey: 'key-1' });
    expect(results).toEqual(
      expect.arrayContaining([
        { ok: true, message: { ...message('order'), subject: { kind: 'OUTBOUND', providerRef: order } } },
        { ok: true, message: { ...message('receiving'), subject: { kind: 'INBOUND', providerRef: asn } } },
        { ok: true, message: { ...message('stock'), subject: { kind: 'STOCK', sku: 'SKU-1', warehouseCode: 'BKK1' } } },
      ]),
    );
    expect(results).toHaveLength(3);
  });

  const valid = { app_key: 'key-1', msg_id: 'MSG1', subscript_type: 'order', body: { order_code: 'EC1', warehouse_code: 'BKK1' } };

  it('accepts numbers where PHP hosts send them, and stock without a warehouse', () => {
    expect(parseEccangPush({ ...valid, msg_id: 42, body: { order_code: 1001 } })).toMatchObject({ ok: true, message: { messageId: '42', subject: { kind: 'OUTBOUND', providerRef: '1001' } } });
    expect(parseEccangPush({ ...valid, subscript_type: 'stock', body: { product_sku: 'SKU-1' } })).toMatchObject({ ok: true, message: { subject: { kind: 'STOCK', sku: 'SKU-1', warehouseCode: null } } });
  });

  it.each([
    ['not an object', 'hello', 'expected object'],
    ['no msg_id', { ...valid, msg_id: undefined }, 'msg_id: '],
    ['an empty app_key', { ...valid, app_key: ' ' }, 'app_key: '],
    ['no body', { ...valid, body: undefined }, 'body: '],
    ['a body that is a list', { ...valid, body: ['EC1'] }, 'body: '],
    ['an order push without order_code', { ...valid, body: { receiving_code: 'RV1' } }, 'body.order_code: '],
    ['a stock push without product_sku', { ...valid, subscript_type: 'stock', body: { warehouse_code: 'BKK1' } }, 'body.product_sku: '],
  ])('refuses %s, saying why', (_case, body, reason) => {
    const result = parseEccangPush(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('refuses an unknown subscript_type', () => {
    expect(parseEccangPush({ ...valid, subscript_type: 'shipment' })).toEqual({ ok: false, reason: 'unknown subscript_type "shipment"' });
    expect(parseEccangPush({ ...valid, subscript_type: 'toString' })).toEqual({ ok: false, reason: 'unknown subscript_type "toString"' });
  });
});
