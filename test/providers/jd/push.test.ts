// Simulator push (unsourced format): signed JSON to the registered callback on every status
// change; and parseJdPush reading what it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdProvider } from '../../../src/providers/jd/client.ts';
import { parseJdPush } from '../../../src/providers/jd/push.ts';
import { JD_PUSH_SIGN_HEADER, verifyJdPushSign } from '../../../src/providers/jd/sign.ts';
import { listen } from '../../../src/providers/simulator-server.ts';
import { startJdSimulator } from '../../../src/providers/jd/simulator.ts';

let sim: Awaited<ReturnType<typeof startJdSimulator>>;
let receiver: Awaited<ReturnType<typeof listen>>;
const received: { body: string; sign: string | null }[] = [];

beforeAll(async () => {
  receiver = await listen(async (request) => {
    received.push({ body: await request.text(), sign: request.headers.get(JD_PUSH_SIGN_HEADER) });
    return new Response('ok');
  });
  sim = await startJdSimulator();
  sim.addApp('APPKEY', 'SECRET');
  sim.issueToken('APPKEY', 'TOKEN');
  sim.addDept('EBU1', [{ warehouseNo: 'W1', warehouseName: 'W1' }]);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('JD simulator push', () => {
  it('delivers each order status change, signed with MD5(secret + body + secret)', async () => {
    // given push registered through the client, and a created order
    const client = createJdProvider({ routerUrl: sim.routerUrl, pushRegistrationUrl: sim.pushRegistrationUrl, appKey: 'APPKEY', appSecret: 'SECRET', accessToken: 'TOKEN', deptNo: 'EBU1' });
    await client.registerPush(`${receiver.url}/webhooks/jd`);
    const { providerSkuId } = await client.pushProduct({ sku: 'SKU-1', name: 'One' });
    const { providerRef } = await client.createOutbound({
      reference: 'OUT-PUSH',
      warehouseCode: 'W1',
      recipient: { name: 'A', phone: '1', address1: 'Street', zipcode: '1', country: 'TH' },
      trackingNumber: 'T',
      platform: 'SHOPEE',
      channelOrderNo: 'C1',
      lines: [{ sku: 'SKU-1', providerSkuId, quantity: 1 }],
    });

    // when
    sim.advanceOrder(providerRef, '10012');
    await sim.flushPushes();

    // then
    expect(received).toHaveLength(2);
    for (const message of received) expect(verifyJdPushSign(message.body, message.sign, 'SECRET')).toBe(true);
    const messages = received.map((message) => JSON.parse(message.body));
    expect(messages.map((message) => message.content.statusCode)).toEqual(['10010', '10012']);
    expect(messages[1]).toMatchObject({
      topic: 'eclp_order_status',
      msgId: expect.any(String),
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      appKey: 'APPKEY',
      deptNo: 'EBU1',
      content: { eclpSoNo: providerRef, isvUUID: 'OUT-PUSH', statusCode: '10012', statusName: expect.any(String), operateTime: expect.any(String) },
    });
    expect(new Set(messages.map((message) => message.msgId)).size).toBe(2);
    expect(sim.received().pushed.every((push) => push.status === 200)).toBe(true);
  });

  it('can deliver every message twice with the same msgId (for dedupe tests)', async () => {
    // given
    received.length = 0;
    sim.setPushOptions({ duplicate: true });
    const [order] = sim.received().orders;

    // when
    sim.advanceOrder(order!.eclpSoNo, '10014');
    await sim.flushPushes();
    sim.setPushOptions({ duplicate: false });

    // then
    expect(received).toHaveLength(2);
    expect(JSON.parse(received[0]!.body).msgId).toBe(JSON.parse(received[1]!.body).msgId);
  });
});

describe('parseJdPush', () => {
  it('reads the signed order and PO messages the simulator sends', async () => {
    // given
    received.length = 0;
    const client = createJdProvider({ routerUrl: sim.routerUrl, pushRegistrationUrl: sim.pushRegistrationUrl, appKey: 'APPKEY', appSecret: 'SECRET', accessToken: 'TOKEN', deptNo: 'EBU1' });
    await client.registerPush(`${receiver.url}/webhooks/jd`);
    const { providerSkuId } = await client.pushProduct({ sku: 'SKU-2', name: 'Two' });
    const { providerRef: po } = await client.createInbound({ reference: 'IN-PUSH', warehouseCode: 'W1', lines: [{ sku: 'SKU-2', providerSkuId, quantity: 3 }] });
    const { providerRef: order } = await client.createOutbound({
      reference: 'OUT-PARSE',
      warehouseCode: 'W1',
      recipient: { name: 'A', phone: '1', address1: 'Street', zipcode: '1', country: 'TH' },
      trackingNumber: 'T',
      platform: 'SHOPEE',
      channelOrderNo: 'C2',
      lines: [{ sku: 'SKU-2', providerSkuId, quantity: 1 }],
    });
    // when (creating the order pushed its first status already)
    sim.advancePo(po, '70');
    await sim.flushPushes();
    // then
    expect(received.every((message) => verifyJdPushSign(message.body, message.sign, 'SECRET'))).toBe(true);
    const results = received.map((message) => parseJdPush(message.body));
    // deliveries run concurrently: arrival order is not fixed
    expect(results).toHaveLength(2);
    expect(results).toEqual(
      expect.arrayContaining([
        { ok: true, message: { messageId: expect.any(String), topic: 'eclp_order_status', appKey: 'APPKEY', deptNo: 'EBU1', subject: { kind: 'OUTBOUND', providerRef: order } } },
        { ok: true, message: { messageId: expect.any(String), topic: 'eclp_po_status', appKey: 'APPKEY', deptNo: 'EBU1', subject: { kind: 'INBOUND', providerRef: po } } },
      ]),
    );
  });

  const valid = { topic: 'eclp_order_status', msgId: 'M1', timestamp: '2025-01-01 08:00:00', appKey: 'APPKEY', deptNo: 'EBU1', content: { eclpSoNo: 'ESL1', isvUUID: 'OUT-1', statusCode: '10019' } };
  const raw = (overrides: Record<string, unknown>) => JSON.stringify({ ...valid, ...overrides });

  it.each([
    ['a body that is not JSON', '{"topic":', 'body is not JSON'],
    ['JSON that is not an object', '[1]', 'expected object'],
    ['no msgId', raw({ msgId: undefined }), 'msgId: missing'],
    ['an empty appKey', raw({ appKey: '' }), 'appKey: '],
    ['no deptNo', raw({ deptNo: undefined }), 'deptNo: missing'],
    ['content that is not an object', raw({ content: 'ESL1' }), 'content: '],
    ['an order message without eclpSoNo', raw({ content: { poOrderNo: 'EPL1' } }), 'content.eclpSoNo: missing'],
    ['a PO message without poOrderNo', raw({ topic: 'eclp_po_status', content: { eclpSoNo: 'ESL1' } }), 'content.poOrderNo: missing'],
  ])('refuses %s, saying why', (_case, body, reason) => {
    const result = parseJdPush(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('refuses an unknown topic', () => {
    expect(parseJdPush(raw({ topic: 'eclp_stock_change' }))).toEqual({ ok: false, reason: 'unknown topic "eclp_stock_change"' });
    expect(parseJdPush(raw({ topic: 'constructor' }))).toEqual({ ok: false, reason: 'unknown topic "constructor"' });
  });

  it('takes the topic names of a real subscription', () => {
    const topics = { outbound: 'order_status_change', inbound: 'po_status_change' };
    expect(parseJdPush(raw({ topic: 'order_status_change' }), topics)).toMatchObject({ ok: true, message: { topic: 'order_status_change', subject: { kind: 'OUTBOUND', providerRef: 'ESL1' } } });
    expect(parseJdPush(raw({}), topics)).toEqual({ ok: false, reason: 'unknown topic "eclp_order_status"' });
  });
});
