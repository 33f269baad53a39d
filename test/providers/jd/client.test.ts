// JD client against the JD simulator over real HTTP: every method, failure shapes, paging, idempotency, golden bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdProvider, type JdProviderOptions } from '../../../src/providers/jd/client.ts';
import { jdSign } from '../../../src/providers/jd/sign.ts';
import { startJdSimulator } from '../../../src/providers/jd/simulator.ts';
import { ProviderError, type OutboundRequest, type ProviderCallRecord } from '../../../src/providers/types.ts';

const APP_KEY = 'APPKEY';
const APP_SECRET = 'SECRET';
const TOKEN = 'TOKEN';
const DEPT = 'EBU0000000001';
const WAREHOUSE = '110000001';

type Simulator = Awaited<ReturnType<typeof startJdSimulator>>;

async function seededSimulator(options: { now?: () => Date } = {}): Promise<Simulator> {
  const sim = await startJdSimulator(options);
  sim.addApp(APP_KEY, APP_SECRET);
  sim.issueToken(APP_KEY, TOKEN);
  sim.addDept(DEPT, [
    { warehouseNo: WAREHOUSE, warehouseName: '北京仓' },
    { warehouseNo: '110000002', warehouseName: '上海仓' },
  ]);
  return sim;
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as ProviderError);

const outbound = (reference: string, goodsNo: string): OutboundRequest => ({
  reference,
  warehouseCode: WAREHOUSE,
  shippingMethod: 'CYS0000010',
  recipient: { name: '张三', phone: '13800000000', address1: '朝阳区建国路1号', city: '北京', province: '北京', zipcode: '100000', country: 'TH' },
  trackingNumber: 'T1',
  platform: 'SHOPEE',
  channelOrderNo: 'SO-1',
  lines: [{ sku: 'SKU-A', providerSkuId: goodsNo, quantity: 2, unitPriceMinor: 1250 }],
});

describe('JD client against the simulator', () => {
  let sim: Simulator;
  const records: ProviderCallRecord[] = [];
  const provider = (overrides: Partial<JdProviderOptions> = {}) =>
    createJdProvider({ routerUrl: sim.routerUrl, appKey: APP_KEY, appSecret: APP_SECRET, accessToken: TOKEN, deptNo: DEPT, timeoutMs: 5_000, record: (call) => records.push(call), ...overrides });

  beforeAll(async () => {
    sim = await seededSimulator();
  });
  afterAll(() => sim.close());

  it('declares its capabilities', () => {
    expect(provider().capabilities).toEqual({ countries: 'ANY', cancelAllowedUpTo: 'ACCEPTED', pushStatus: true });
  });

  it('verifies credentials and lists warehouses, recording each call without credentials', async () => {
    // when
    await provider().verifyCredentials();
    const warehouses = await provider().listWarehouses();

    // then
    expect(warehouses).toEqual([
      { code: WAREHOUSE, name: '北京仓', country: null },
      { code: '110000002', name: '上海仓', country: null },
    ]);
    expect(records.slice(-2)).toEqual([
      expect.objectContaining({ provider: 'JD', method: 'verifyCredentials', outcome: 'OK' }),
      expect.objectContaining({ provider: 'JD', method: 'listWarehouses', outcome: 'OK' }),
    ]);
    expect(JSON.stringify(records)).not.toContain(APP_SECRET);
  });

  it.each([
    ['a wrong secret (bad sign)', { appSecret: 'WRONG' }, '25'],
    ['an unknown app key', { appKey: 'NOPE' }, '21'],
    ['an unknown access token', { accessToken: 'EXPIRED' }, '19'],
  ] as const)('maps %s to AUTH', async (_label, overrides, code) => {
    const error = await failure(provider(overrides).verifyCredentials());

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'AUTH', retryable: false });
    expect(error?.message).toContain(`JD error ${code}`);
    expect(records.at(-1)).toMatchObject({ method: 'verifyCredentials', outcome: 'AUTH' });
  });

  it('rejects a stale timestamp (> 10 minutes) as REJECTED', async () => {
    const error = await failure(provider({ clock: () => new Date(Date.now() - 11 * 60_000) }).listWarehouses());

    expect(error).toMatchObject({ code: 'REJECTED' });
    expect(error?.message).toContain('stale');
  });

  it('maps an unknown deptNo (business error) to REJECTED', async () => {
    const error = await failure(provider({ deptNo: 'EBU404' }).listWarehouses());

    expect(error).toMatchObject({ code: 'REJECTED', retryable: false });
  });

  describe('injected faults', () => {
    it('5xx → retryable UNAVAILABLE', async () => {
      sim.injectFaults({ kind: 'http5xx', status: 503 });

      expect(await failure(provider().listWarehouses())).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    });

    it('hang → TIMEOUT with a short client timeout', async () => {
      sim.injectFaults({ kind: 'hang' });

      expect(await failure(provider({ timeoutMs: 200 }).listWarehouses())).toMatchObject({ code: 'TIMEOUT', retryable: true });
    });

    it('malformed body → MALFORMED', async () => {
      sim.injectFaults({ kind: 'malformed' });

      expect(await failure(provider().listWarehouses())).toMatchObject({ code: 'MALFORMED' });
      expect(records.at(-1)).toMatchObject({ method: 'listWarehouses', outcome: 'MALFORMED' });
    });

    it('business failure → REJECTED', async () => {
      sim.injectFaults({ kind: 'business', zhDesc: '库存不足' });

      expect(await failure(provider().listWarehouses())).toMatchObject({ code: 'REJECTED' });
    });

    it('bad-credential error → AUTH', async () => {
      sim.injectFaults({ kind: 'badCredential' });

      expect(await failure(provider().listWarehouses())).toMatchObject({ code: 'AUTH' });
    });

    it('latency alone still succeeds', async () => {
      sim.injectFaults({ kind: 'latency', ms: 50 });

      expect(await provider().listWarehouses()).toHaveLength(2);
    });
  });

  it('pushes a product (idempotent on isvGoodsNo) and returns JD goodsNo as providerSkuId', async () => {
    // when
    const first = await provider().pushProduct({ sku: 'SKU-P', name: 'Mug', barcode: '690000000001', weightGrams: 350, lengthMm: 100 });
    const again = await provider().pushProduct({ sku: 'SKU-P', name: 'Mug v2' });

    // then
    expect(first.providerSkuId).toMatch(/^EMG/);
    expect(again.providerSkuId).toBe(first.providerSkuId);
    const sent = new URLSearchParams(sim.received().calls.findLast((call) => call.method === 'jingdong.eclp.goods.transportGoodsInfo')!.body);
    expect(JSON.parse(sent.get('360buy_param_json')!)).toEqual({ deptNo: DEPT, isvGoodsNo: 'SKU-P', goodsName: 'Mug v2', barcodes: '' });
  });

  describe('inbound (PO)', () => {
    let goodsNo: string;
    beforeAll(async () => {
      goodsNo = (await provider().pushProduct({ sku: 'SKU-IN', name: 'Inbound item' })).providerSkuId;
    });

    it('creates, reads through the status table, and cancels only while new/initialised', async () => {
      // given
      const { providerRef } = await provider().createInbound({ reference: 'IN-1', warehouseCode: WAREHOUSE, lines: [{ sku: 'SKU-IN', providerSkuId: goodsNo, quantity: 5 }] });
      expect(providerRef).toMatch(/^EPL/);
      expect(await provider().getInbound([providerRef])).toEqual([
        { providerRef, reference: 'IN-1', rawStatus: '10', status: 'SUBMITTED', lines: [{ sku: 'SKU-IN', quantity: 5, received: 0 }] },
      ]);

      // when received partly, then completely
      sim.advancePo(providerRef, '20', { [goodsNo]: 2 });
      const receiving = await provider().getInbound([providerRef]);
      sim.advancePo(providerRef, '70', { [goodsNo]: 5 });
      const completed = await provider().getInbound([providerRef]);

      // then
      expect(receiving[0]).toMatchObject({ rawStatus: '20', status: 'RECEIVING' });
      expect(completed[0]).toMatchObject({ rawStatus: '70', status: 'COMPLETED', lines: [{ received: 5 }] });
      expect(await provider().cancelInbound(providerRef)).toBe('REFUSED');
    });

    it('cancels a new PO', async () => {
      const { providerRef } = await provider().createInbound({ reference: 'IN-2', warehouseCode: WAREHOUSE, lines: [{ sku: 'SKU-IN', providerSkuId: goodsNo, quantity: 1 }] });

      expect(await provider().cancelInbound(providerRef)).toBe('CANCELLED');
      expect((await provider().getInbound([providerRef]))[0]).toMatchObject({ rawStatus: '91', status: 'CANCELLED' });
    });

    it('reads several POs in one call', async () => {
      const refs = [];
      for (const reference of ['IN-3', 'IN-4']) {
        refs.push((await provider().createInbound({ reference, warehouseCode: WAREHOUSE, lines: [{ sku: 'SKU-IN', providerSkuId: goodsNo, quantity: 1 }] })).providerRef);
      }

      expect((await provider().getInbound(refs)).map((state) => state.reference)).toEqual(['IN-3', 'IN-4']);
    });

    it('the same reference twice returns the existing PO, never a second one', async () => {
      const request = { reference: 'IN-DUP', warehouseCode: WAREHOUSE, lines: [{ sku: 'SKU-IN', providerSkuId: goodsNo, quantity: 1 }] };

      const first = await provider().createInbound(request);
      const second = await provider().createInbound(request);

      expect(second.providerRef).toBe(first.providerRef);
      expect(sim.received().pos.filter((po) => po.spPoOrderNo === 'IN-DUP')).toHaveLength(1);
    });

    it('refuses lines without a JD goodsNo before calling', async () => {
      const before = sim.received().calls.length;

      const error = await failure(provider().createInbound({ reference: 'IN-X', warehouseCode: WAREHOUSE, lines: [{ sku: 'SKU-NOPE', quantity: 1 }] }));

      expect(error).toMatchObject({ code: 'REJECTED' });
      expect(sim.received().calls.length).toBe(before);
    });

    it('sends the PO lines comma-joined (golden business JSON)', async () => {
      const other = (await provider().pushProduct({ sku: 'SKU-IN2', name: 'Second' })).providerSkuId;

      await provider({ supplierNo: 'SUP01' }).createInbound({
        reference: 'IN-GOLD',
        warehouseCode: WAREHOUSE,
        lines: [
          { sku: 'SKU-IN', providerSkuId: goodsNo, quantity: 3 },
          { sku: 'SKU-IN2', providerSkuId: other, quantity: 7 },
        ],
      });

      const sent = new URLSearchParams(sim.received().calls.findLast((call) => call.method === 'jingdong.eclp.po.addPoOrder')!.body);
      expect(sent.get('360buy_param_json')).toBe(
        `{"spPoOrderNo":"IN-GOLD","deptNo":"${DEPT}","whNo":"${WAREHOUSE}","supplierNo":"SUP01","deptGoodsNo":"${goodsNo},${other}","numApplication":"3,7","goodsStatus":"1,1"}`,
      );
    });
  });

  describe('outbound (orders)', () => {
    let goodsNo: string;
    beforeAll(async () => {
      goodsNo = (await provider().pushProduct({ sku: 'SKU-A', name: 'Item A' })).providerSkuId;
    });

    it('creates and follows the status history to COMPLETED', async () => {
      // given
      const { providerRef } = await provider().createOutbound(outbound('OUT-1', goodsNo));
      const created = await provider().getOutbound([providerRef]);

      // when
      for (const code of ['10012', '10014', '10016', '10018']) sim.advanceOrder(providerRef, code);
      const packed = await provider().getOutbound([providerRef]);
      sim.advanceOrder(providerRef, '10019');
      const completed = await provider().getOutbound([providerRef]);

      // then
      expect(created).toEqual([
        { providerRef, reference: 'OUT-1', rawStatus: '10010', status: 'CREATED', trackingNumber: expect.stringMatching(/^JDV/), changedAt: expect.any(Date) },
      ]);
      expect(packed[0]).toMatchObject({ rawStatus: '10018', status: 'PACKED' });
      expect(completed[0]).toMatchObject({ rawStatus: '10019', status: 'COMPLETED' });
    });

    it('cancels while accepted; refuses from picking on and keeps the prior status', async () => {
      const accepted = (await provider().createOutbound(outbound('OUT-2', goodsNo))).providerRef;
      sim.advanceOrder(accepted, '10012');
      const picking = (await provider().createOutbound(outbound('OUT-3', goodsNo))).providerRef;
      sim.advanceOrder(picking, '10014');

      expect(await provider().cancelOutbound(accepted)).toBe('CANCELLED');
      expect(await provider().cancelOutbound(picking)).toBe('REFUSED');
      const states = await provider().getOutbound([accepted, picking]);
      expect(states.map(({ rawStatus, status }) => ({ rawStatus, status }))).toEqual([
        { rawStatus: '10028', status: 'CANCELLED' },
        { rawStatus: '10029', status: 'PICKING' },
      ]);
    });

    it('the same isvUUID twice returns the existing order; the simulator holds exactly one', async () => {
      const first = await provider().createOutbound(outbound('OUT-DUP', goodsNo));
      const second = await provider().createOutbound(outbound('OUT-DUP', goodsNo));

      expect(second.providerRef).toBe(first.providerRef);
      expect(sim.received().orders.filter((order) => order.isvUUID === 'OUT-DUP')).toHaveLength(1);
    });

    it('reports a duplicate it cannot resolve as DUPLICATE', async () => {
      sim.injectFaults({ kind: 'business', zhDesc: 'isvUUID重复' });

      expect(await failure(provider().createOutbound(outbound('OUT-4', goodsNo)))).toMatchObject({ code: 'DUPLICATE', retryable: false });
    });

    it('an unknown eclpSoNo / poOrderNo is NOT_FOUND', async () => {
      expect(await failure(provider().getOutbound(['ESL404']))).toMatchObject({ code: 'NOT_FOUND', retryable: false });
      expect(await failure(provider().cancelOutbound('ESL404'))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await failure(provider().cancelInbound('EPL404'))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('sends the order fields (golden business JSON)', async () => {
      await provider({ orderDefaults: { isvSource: 'ISV01', shopNo: 'SHOP01' } }).createOutbound(outbound('OUT-GOLD', goodsNo));

      const sent = new URLSearchParams(sim.received().calls.findLast((call) => call.method === 'jingdong.eclp.order.addOrder')!.body);
      expect(sent.get('360buy_param_json')).toBe(
        `{"isvUUID":"OUT-GOLD","isvSource":"ISV01","shopNo":"SHOP01","departmentNo":"${DEPT}","warehouseNo":"${WAREHOUSE}",` +
          `"shipperNo":"CYS0000010","salesPlatformOrderNo":"SO-1","soType":"1","consigneeName":"张三","consigneeMobile":"13800000000",` +
          `"consigneeAddress":"朝阳区建国路1号","consigneeProvince":"北京","consigneeCity":"北京","consigneePostcode":"100000","orderMark":"",` +
          `"goodsNo":"${goodsNo}","quantity":"2","price":"12.50"}`,
      );
      const params = Object.fromEntries(sent);
      expect(params.sign).toBe(jdSign(params, APP_SECRET));
      expect(params).toMatchObject({ method: 'jingdong.eclp.order.addOrder', app_key: APP_KEY, access_token: TOKEN, v: '2.0', format: 'json' });
    });
  });

  it('pages through stock with the currentPage cursor', async () => {
    // given 5 SKUs of stock in a fresh warehouse
    sim.addDept('EBU0000000009', [{ warehouseNo: 'W9', warehouseName: 'W9' }]);
    sim.seedStock({ deptNo: 'EBU0000000009', warehouseNo: 'W9', count: 5, prefix: 'STK', usableNum: 8, totalNum: 10 });
    const client = provider({ deptNo: 'EBU0000000009' });

    // when
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await client.inventoryPage({ warehouseCode: 'W9', cursor, pageSize: 2 });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);

    // then
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.nextCursor)).toEqual(['2', '3', null]);
    expect(pages.flatMap((page) => page.items)[0]).toEqual({ sku: 'STK0001', onHand: 8, reserved: 2 });
  });

  it('registers push through the simulator control endpoint; refuses without one', async () => {
    await provider({ pushRegistrationUrl: sim.pushRegistrationUrl }).registerPush('http://127.0.0.1:1/webhooks/jd');

    expect(await failure(provider().registerPush('http://example.test/hook'))).toMatchObject({ code: 'REJECTED' });
  });
});

describe('simulator control API over HTTP', () => {
  it('seeds, injects faults and reports what it received', async () => {
    // given a bare simulator seeded only through /__control
    const sim = await startJdSimulator();
    const control = (path: string, body?: unknown) =>
      fetch(`${sim.url}/__control/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        (response) => response.json() as Promise<Record<string, any>>,
      );
    try {
      await control('apps', { appKey: APP_KEY, appSecret: APP_SECRET });
      const { accessToken } = await control('tokens', { appKey: APP_KEY });
      await control('depts', { deptNo: DEPT, warehouses: [{ warehouseNo: WAREHOUSE, warehouseName: 'W' }] });
      await control('stock', { deptNo: DEPT, warehouseNo: WAREHOUSE, count: 3 });
      await control('faults', { fault: { kind: 'http5xx' }, times: 2 });
      const client = createJdProvider({ routerUrl: sim.routerUrl, appKey: APP_KEY, appSecret: APP_SECRET, accessToken, deptNo: DEPT });

      // when
      const failures = [await failure(client.listWarehouses()), await failure(client.listWarehouses())];
      const page = await client.inventoryPage({ warehouseCode: WAREHOUSE, cursor: null, pageSize: 10 });

      // then
      expect(failures.map((error) => error?.code)).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
      expect(page).toEqual({ items: [expect.objectContaining({ sku: 'SKU0001' }), expect.objectContaining({ sku: 'SKU0002' }), expect.objectContaining({ sku: 'SKU0003' })], nextCursor: null });
      const received = await control('received');
      expect(received.calls.map((call: { method: string }) => call.method)).toEqual([
        'jingdong.eclp.master.queryWarehouse',
        'jingdong.eclp.master.queryWarehouse',
        'jingdong.eclp.stock.queryStock',
      ]);
      expect(received.goods).toHaveLength(3);
    } finally {
      await sim.close();
    }
  });

  it('advances order status through the control API', async () => {
    const sim = await seededSimulator();
    try {
      const client = createJdProvider({ routerUrl: sim.routerUrl, appKey: APP_KEY, appSecret: APP_SECRET, accessToken: TOKEN, deptNo: DEPT });
      const { providerSkuId } = await client.pushProduct({ sku: 'SKU-A', name: 'A' });
      const { providerRef } = await client.createOutbound(outbound('OUT-C', providerSkuId));

      const answer = await fetch(`${sim.url}/__control/orders/advance`, { method: 'POST', body: JSON.stringify({ eclpSoNo: providerRef, soStatusCode: 10018 }) });

      expect(answer.status).toBe(200);
      expect((await client.getOutbound([providerRef]))[0]).toMatchObject({ rawStatus: '10018', status: 'PACKED' });
      const missing = await fetch(`${sim.url}/__control/orders/advance`, { method: 'POST', body: JSON.stringify({ eclpSoNo: 'ESL404', soStatusCode: 10018 }) });
      expect(missing.status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});

describe('golden wire body', () => {
  it('queryWarehouse with a fixed clock is exactly the hand-derived form body', async () => {
    // given a simulator and a client on the same fixed clock
    const fixed = () => new Date('2026-01-02T03:04:05Z');
    const sim = await seededSimulator({ now: fixed });
    try {
      const client = createJdProvider({ routerUrl: sim.routerUrl, appKey: APP_KEY, appSecret: APP_SECRET, accessToken: TOKEN, deptNo: DEPT, clock: fixed });

      // when
      await client.listWarehouses();

      // then: keys sorted as signed, sign last; sign derived in sign.test.ts
      expect(sim.received().calls[0]!.body).toBe(
        '360buy_param_json=%7B%22deptNo%22%3A%22EBU0000000001%22%7D' +
          '&access_token=TOKEN&app_key=APPKEY&format=json' +
          '&method=jingdong.eclp.master.queryWarehouse' +
          '&timestamp=2026-01-02+11%3A04%3A05&v=2.0' +
          '&sign=53D5246CCCB5039657763A5F83B1B072',
      );
    } finally {
      await sim.close();
    }
  });

  it('accepts queryOrderStatus wrapped in queryorderstatus_result', async () => {
    const { listen } = await import('../../../src/providers/simulator-server.ts');
    const server = await listen(async () =>
      new Response(
        JSON.stringify({
          jingdong_eclp_order_queryOrderStatus_responce: {
            code: '0',
            queryorderstatus_result: { eclpSoNo: 'ESL1', orderStatusList: [{ soStatusCode: 10018, soStatusName: '已打包', operateTime: '2026-01-02 11:04:05' }] },
          },
        }),
      ),
    );
    try {
      const client = createJdProvider({ routerUrl: `${server.url}/routerjson`, appKey: 'a', appSecret: 'b', accessToken: 'c', deptNo: 'd' });

      expect(await client.getOutbound(['ESL1'])).toEqual([
        { providerRef: 'ESL1', reference: '', rawStatus: '10018', status: 'PACKED', trackingNumber: null, changedAt: new Date('2026-01-02T03:04:05Z') },
      ]);
    } finally {
      await server.close();
    }
  });

  it('accepts the `_response` spelling as well as `_responce`', async () => {
    const { listen } = await import('../../../src/providers/simulator-server.ts');
    const server = await listen(async () =>
      new Response(JSON.stringify({ jingdong_eclp_master_queryWarehouse_response: { querywarehouse_result: [{ warehouseNo: 1, warehouseName: 'X' }] } })),
    );
    try {
      const client = createJdProvider({ routerUrl: `${server.url}/routerjson`, appKey: 'a', appSecret: 'b', accessToken: 'c', deptNo: 'd' });

      expect(await client.listWarehouses()).toEqual([{ code: '1', name: 'X', country: null }]);
    } finally {
      await server.close();
    }
  });
});
