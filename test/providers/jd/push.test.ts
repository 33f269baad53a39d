// Simulator push (unsourced format): signed JSON to the registered callback on every status change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdProvider } from '../../../src/providers/jd/client.ts';
import { JD_PUSH_SIGN_HEADER, verifyJdPushSign } from '../../../src/providers/jd/sign.ts';
import { listen } from '../../../src/providers/simulator-server.ts';
import { startJdSimulator } from '../../../src/providers/jd/simulator.ts';

describe('JD simulator push', () => {
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
