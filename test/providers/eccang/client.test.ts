// The ECCANG client against the simulator over real HTTP: every service the interface uses,
// every failure shape, paging and idempotent creates.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkEccangBaseUrl, createEccangProvider, type EccangProviderOptions } from '../../../src/providers/eccang/client.ts';
import { sampleOrder } from './fixtures.ts';
import { startEccangSimulator, type RunningEccangSimulator } from '../../../src/providers/eccang/simulator.ts';
import { ProviderError, type ProviderCallRecord } from '../../../src/providers/types.ts';

let sim: RunningEccangSimulator;
let calls: ProviderCallRecord[];

beforeAll(async () => {
  sim = await startEccangSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.simulator.reset();
  sim.simulator.seedAccount('token-1', 'key-1');
  sim.simulator.seedWarehouses('token-1', [
    { warehouse_code: 'BKK1', warehouse_name: 'Bangkok 1', country_code: 'TH' },
    { warehouse_code: 'JKT1', warehouse_name: 'Jakarta 1', country_code: 'ID' },
  ]);
  calls = [];
});

const client = (overrides: Partial<EccangProviderOptions> = {}) =>
  createEccangProvider({ baseUrl: sim.url, appToken: 'token-1', appKey: 'key-1', timeoutMs: 2_000, record: (c) => calls.push(c), ...overrides });



async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

describe('credentials and warehouses', () => {
  it('verifies good credentials with getWarehouse and records the call', async () => {
    // when
    await client().verifyCredentials();
    // then
    expect(sim.simulator.received('token-1').map((c) => c.service)).toEqual(['getWarehouse']);
    expect(calls).toEqual([{ provider: 'ECCANG', method: 'verifyCredentials', durationMs: expect.any(Number), outcome: 'OK' }]);
  });

  it('maps refused credentials to AUTH, not retryable, and records no secret', async () => {
    // when
    const error = await rejection(client({ appKey: 'wrong' }).verifyCredentials());
    // then
    expect(error).toMatchObject({ code: 'AUTH', retryable: false, provider: 'ECCANG' });
    expect(calls).toEqual([{ provider: 'ECCANG', method: 'verifyCredentials', durationMs: expect.any(Number), outcome: 'AUTH' }]);
    expect(JSON.stringify(calls)).not.toContain('wrong');
  });

  it('lists every warehouse across pages', async () => {
    // given: 250 warehouses = 3 pages of 100
    sim.simulator.seedWarehouses('token-1', Array.from({ length: 248 }, (_, i) => ({ warehouse_code: `W${i}`, warehouse_name: `W ${i}`, country_code: 'XX' })));
    // when
    const warehouses = await client().listWarehouses();
    // then
    expect(warehouses).toHaveLength(250);
    expect(warehouses[0]).toEqual({ code: 'BKK1', name: 'Bangkok 1', country: 'TH' });
    expect(warehouses[2]).toEqual({ code: 'W0', name: 'W 0', country: null });
    expect(sim.simulator.received('token-1', 'getWarehouse').map((c) => c.params.page)).toEqual([1, 2, 3]);
  });
});

describe('products', () => {
  const product = { sku: 'SKU-1', name: 'Tea', weightGrams: 500, lengthMm: 100, widthMm: 80, heightMm: 50, declaredValueCents: 250 };

  it('creates the product in ECCANG units; the provider SKU id is our SKU', async () => {
    // when
    const result = await client().pushProduct(product);
    // then
    expect(result).toEqual({ providerSkuId: 'SKU-1' });
    expect(sim.simulator.account('token-1').products.get('SKU-1')?.params).toMatchObject({ product_weight: 0.5, product_length: 10, product_width: 8, product_height: 5, product_declared_value: 2.5, product_declared_name: 'Tea' });
  });

  it('treats an already existing product as pushed', async () => {
    // given
    await client().pushProduct(product);
    // when / then
    await expect(client().pushProduct(product)).resolves.toEqual({ providerSkuId: 'SKU-1' });
  });

  it('refuses locally when a required dimension is missing', async () => {
    const error = await rejection(client().pushProduct({ ...product, weightGrams: null }));
    expect(error).toMatchObject({ code: 'REJECTED', retryable: false });
    expect(sim.simulator.received('token-1', 'createProduct')).toHaveLength(0);
  });
});

describe('inbound (ASN)', () => {
  const inbound = { reference: 'IN-1', warehouseCode: 'BKK1', lines: [{ sku: 'SKU-1', quantity: 10 }] };

  it('creates, reads and maps receiving_status, keeping the raw value', async () => {
    // given
    const { providerRef } = await client().createInbound(inbound);
    // when
    const [submitted] = await client().getInbound([providerRef]);
    sim.simulator.setAsnStatus(providerRef, 8, 4);
    const [receiving] = await client().getInbound([providerRef]);
    sim.simulator.setAsnStatus(providerRef, 10, 9);
    const [completed] = await client().getInbound([providerRef]);
    // then
    expect(sim.simulator.account('token-1').asns.get(providerRef)?.items[0]?.box_no).toBe(1);
    expect(submitted).toEqual({ providerRef, reference: 'IN-1', rawStatus: '1', status: 'SUBMITTED', lines: [{ sku: 'SKU-1', quantity: 10, received: 0 }] });
    expect(receiving).toMatchObject({ rawStatus: '8', status: 'RECEIVING', lines: [{ sku: 'SKU-1', quantity: 10, received: 4 }] });
    expect(completed).toMatchObject({ rawStatus: '10', status: 'COMPLETED', lines: [{ sku: 'SKU-1', quantity: 10, received: 9 }] });
  });

  it('uses a configured receiving_status table', async () => {
    // given
    const { providerRef } = await client().createInbound(inbound);
    sim.simulator.setAsnStatus(providerRef, 3);
    // when
    const unknown = await rejection(client().getInbound([providerRef]));
    const [state] = await client({ receivingStatusTable: { '3': 'RECEIVING' } }).getInbound([providerRef]);
    // then
    expect(unknown).toMatchObject({ code: 'MALFORMED', retryable: false });
    expect(state).toMatchObject({ rawStatus: '3', status: 'RECEIVING' });
  });

  it('reads many ASNs in chunks of at most 20', async () => {
    // given
    const refs: string[] = [];
    for (let i = 0; i < 45; i++) refs.push((await client().createInbound({ ...inbound, reference: `IN-${i}` })).providerRef);
    // when
    const states = await client().getInbound(refs);
    // then
    expect(states.map((s) => s.providerRef).sort()).toEqual([...refs].sort());
    const lists = sim.simulator.received('token-1', 'getAsnList');
    expect(lists).toHaveLength(3);
    for (const call of lists) {
      expect(call.params.pageSize).toBe(20);
      expect((call.params.receiving_code_arr as string[]).length).toBeLessThanOrEqual(20);
    }
  });

  it('creating the same reference twice returns the existing ASN, never a second one', async () => {
    // given
    const first = await client().createInbound(inbound);
    // when
    const second = await client().createInbound(inbound);
    // then
    expect(second).toEqual(first);
    expect([...sim.simulator.account('token-1').asns.values()].filter((a) => a.reference_no === 'IN-1')).toHaveLength(1);
    expect(sim.simulator.received('token-1', 'getAsnList').at(-1)?.params).toMatchObject({ reference_no_arr: ['IN-1'] });
  });

  it('cancels a submitted ASN and is refused once receiving started', async () => {
    // given
    const a = await client().createInbound(inbound);
    const b = await client().createInbound({ ...inbound, reference: 'IN-2' });
    sim.simulator.setAsnStatus(b.providerRef, 8);
    // when / then
    expect(await client().cancelInbound(a.providerRef)).toBe('CANCELLED');
    expect((await client().getInbound([a.providerRef]))[0]).toMatchObject({ rawStatus: '100', status: 'CANCELLED' });
    expect(await client().cancelInbound(b.providerRef)).toBe('REFUSED');
    expect(await rejection(client().cancelInbound('RV-NOPE'))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('outbound (orders)', () => {
  it('creates an order and follows its status letters', async () => {
    // given
    const { providerRef } = await client().createOutbound(sampleOrder('OUT-1'));
    // when / then
    expect((await client().getOutbound([providerRef]))[0]).toMatchObject({ providerRef, reference: 'OUT-1', rawStatus: 'C', status: 'CREATED' });
    sim.simulator.setOrderStatus(providerRef, 'W');
    expect((await client().getOutbound([providerRef]))[0]).toMatchObject({ rawStatus: 'W', status: 'ACCEPTED' });
    sim.simulator.setOrderStatus(providerRef, 'D', { tracking_no: 'TH-TRACK' });
    const [shipped] = await client().getOutbound([providerRef]);
    expect(shipped).toMatchObject({ rawStatus: 'D', status: 'COMPLETED', trackingNumber: 'TH-TRACK' });
    expect(shipped?.changedAt).toBeInstanceOf(Date);
  });

  it('maps H, N, P and X', async () => {
    // given
    const refs = [];
    for (const letter of ['H', 'N', 'P', 'X']) {
      const { providerRef } = await client().createOutbound(sampleOrder(`OUT-${letter}`));
      sim.simulator.setOrderStatus(providerRef, letter);
      refs.push(providerRef);
    }
    // when
    const states = await client().getOutbound(refs);
    // then
    expect(states.map((s) => [s.rawStatus, s.status])).toEqual([
      ['H', 'ON_HOLD'],
      ['N', 'EXCEPTION'],
      ['P', 'EXCEPTION'],
      ['X', 'CANCELLED'],
    ]);
  });

  it('reads 150 orders with getOrderList in chunks of at most 100', async () => {
    // given
    const refs: string[] = [];
    for (let i = 0; i < 150; i++) refs.push((await client().createOutbound(sampleOrder(`OUT-${i}`))).providerRef);
    // when
    const states = await client().getOutbound(refs);
    // then
    expect(states).toHaveLength(150);
    expect(sim.simulator.received('token-1', 'getOrderList').map((c) => (c.params.order_code_arr as string[]).length)).toEqual([100, 50]);
  });

  it('creating the same reference twice is detected via getOrderByRefCode: one order only', async () => {
    // given
    const first = await client().createOutbound(sampleOrder('OUT-1'));
    // when
    const second = await client().createOutbound(sampleOrder('OUT-1'));
    // then
    expect(second).toEqual(first);
    expect([...sim.simulator.account('token-1').orders.values()].filter((o) => o.reference_no === 'OUT-1')).toHaveLength(1);
    expect(sim.simulator.received('token-1', 'getOrderByRefCode').map((c) => c.params)).toEqual([{ reference_no: 'OUT-1' }]);
  });

  it('a create whose answer was lost (timeout) is recovered on retry without a second order', async () => {
    // given: the host creates the order but answers too late
    sim.simulator.injectFault({ kind: 'latency', ms: 400, service: 'createOrder' });
    const lost = await rejection(client({ timeoutMs: 100 }).createOutbound(sampleOrder('OUT-1')));
    await expect.poll(() => sim.simulator.account('token-1').orders.size, { timeout: 5_000 }).toBe(1);
    // when
    const retried = await client().createOutbound(sampleOrder('OUT-1'));
    // then
    expect(lost.code).toBe('TIMEOUT');
    expect(retried.providerRef).toBe([...sim.simulator.account('token-1').orders.keys()][0]);
    expect(sim.simulator.account('token-1').orders.size).toBe(1);
  });

  it('a refused create that is not a duplicate stays an error', async () => {
    const error = await rejection(client().createOutbound(sampleOrder('OUT-1', { warehouseCode: 'NOPE' })));
    expect(error).toMatchObject({ code: 'REJECTED', retryable: false });
    expect(error.message).toContain('warehouse_code NOPE is invalid');
  });

  it('needs a shipping method (or a configured default)', async () => {
    expect(await rejection(client().createOutbound(sampleOrder('OUT-1', { shippingMethod: null })))).toMatchObject({ code: 'REJECTED' });
    await expect(client({ defaultShippingMethod: 'STD' }).createOutbound(sampleOrder('OUT-1', { shippingMethod: null }))).resolves.toMatchObject({ providerRef: expect.any(String) });
  });

  it('cancel: C → CANCELLED, W → CANCELLING, picking started → REFUSED', async () => {
    // given
    const created = (await client().createOutbound(sampleOrder('OUT-C'))).providerRef;
    const accepted = (await client().createOutbound(sampleOrder('OUT-W'))).providerRef;
    const picking = (await client().createOutbound(sampleOrder('OUT-P'))).providerRef;
    sim.simulator.setOrderStatus(accepted, 'W');
    sim.simulator.setOrderStatus(picking, 'picking');
    // when / then
    expect(await client().cancelOutbound(created)).toBe('CANCELLED');
    expect(await client().cancelOutbound(accepted)).toBe('CANCELLING');
    expect(await client().cancelOutbound(picking)).toBe('REFUSED');
    expect(await rejection(client().cancelOutbound('EC-NOPE'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('declares its capabilities', () => {
    expect(client().capabilities).toEqual({ countries: ['TH', 'ID', 'PH'], cancelAllowedUpTo: 'ACCEPTED', pushStatus: true });
  });
});

describe('inventory', () => {
  it('pages through the inventory with a page-number cursor', async () => {
    // given
    sim.simulator.seedInventory('token-1', { warehouseCode: 'BKK1', count: 25, sellable: 7 });
    sim.simulator.seedInventory('token-1', { warehouseCode: 'JKT1', count: 3 });
    const items = [];
    const cursors: (string | null)[] = [];
    // when
    let cursor: string | null = null;
    do {
      const page = await client().inventoryPage({ warehouseCode: 'BKK1', cursor, pageSize: 10 });
      items.push(...page.items);
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor);
    // then
    expect(items).toHaveLength(25);
    expect(items[0]).toEqual({ sku: 'SKU-00001', onHand: 7, reserved: 0 });
    expect(cursors).toEqual(['2', '3', null]);
  });

  it('filters by SKU', async () => {
    sim.simulator.seedInventory('token-1', { warehouseCode: 'BKK1', count: 5 });
    const page = await client().inventoryPage({ warehouseCode: 'BKK1', cursor: null, pageSize: 10, skus: ['SKU-00002'] });
    expect(page).toEqual({ items: [{ sku: 'SKU-00002', onHand: 100, reserved: 0 }], nextCursor: null });
  });
});

describe('failure shapes', () => {
  it('ask Failure → REJECTED with the error text', async () => {
    sim.simulator.injectFault({ kind: 'failure', errCode: 'E123', errMessage: 'Something is off' });
    const error = await rejection(client().listWarehouses());
    expect(error).toMatchObject({ code: 'REJECTED', retryable: false });
    expect(error.message).toContain('Something is off');
  });

  it('bad-credential error → AUTH', async () => {
    sim.simulator.injectFault({ kind: 'badCredentials' });
    expect(await rejection(client().getOutbound(['X']))).toMatchObject({ code: 'AUTH' });
  });

  it('HTTP 5xx → UNAVAILABLE, retryable', async () => {
    sim.simulator.injectFault({ kind: 'http5xx', status: 502 });
    expect(await rejection(client().verifyCredentials())).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('SOAP Fault → UNAVAILABLE', async () => {
    sim.simulator.injectFault({ kind: 'soapFault', errMessage: 'Internal error' });
    expect(await rejection(client().verifyCredentials())).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('a hang → TIMEOUT with a short client timeout', async () => {
    sim.simulator.injectFault({ kind: 'hang' });
    const error = await rejection(client({ timeoutMs: 200 }).verifyCredentials());
    sim.simulator.releaseHanging();
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(calls.at(-1)).toMatchObject({ method: 'verifyCredentials', outcome: 'TIMEOUT' });
  });

  it('latency below the timeout still answers', async () => {
    sim.simulator.injectFault({ kind: 'latency', ms: 50 });
    await expect(client().verifyCredentials()).resolves.toBeUndefined();
  });

  it.each(['html', 'envelope', 'json', 'shape'] as const)('malformed body (%s) → MALFORMED', async (variant) => {
    sim.simulator.injectFault({ kind: 'malformed', variant });
    expect(await rejection(client().verifyCredentials())).toMatchObject({ code: 'MALFORMED' });
  });

  it('faults can target one service and a number of calls', async () => {
    // given
    sim.simulator.injectFault({ kind: 'http5xx', service: 'getOrderByRefCode', count: 2 });
    await client().createOutbound(sampleOrder('OUT-1'));
    // when: the duplicate check hits the fault, so the original refusal stands
    const error = await rejection(client().createOutbound(sampleOrder('OUT-1')));
    // then
    expect(error.code).toBe('UNAVAILABLE');
    expect(sim.simulator.account('token-1').orders.size).toBe(1);
  });

  it('an unreachable host → UNAVAILABLE', async () => {
    const error = await rejection(createEccangProvider({ baseUrl: 'http://127.0.0.1:1', appToken: 't', appKey: 'k', timeoutMs: 2_000 }).verifyCredentials());
    expect(error.code).toBe('UNAVAILABLE');
  });
});

describe('checkEccangBaseUrl', () => {
  it.each([
    ['https://wms.example.com/', { production: true }, 'https://wms.example.com'],
    ['https://wms.example.com/sub/', { production: true }, 'https://wms.example.com/sub'],
    ['http://127.0.0.1:4100', { production: false }, 'http://127.0.0.1:4100'],
    ['https://a.eccang.com', { production: true, allowedHosts: ['.eccang.com'] }, 'https://a.eccang.com'],
  ])('accepts %s', (raw, policy, baseUrl) => {
    expect(checkEccangBaseUrl(raw, policy)).toEqual({ ok: true, baseUrl });
  });

  it.each([
    ['nonsense', { production: false }, 'not a URL'],
    ['ftp://x.example.com', { production: false }, 'must be http(s)'],
    ['http://wms.example.com', { production: true }, 'must be https'],
    ['https://u:p@wms.example.com', { production: true }, 'must not carry credentials'],
    ['https://wms.example.com/?a=1', { production: true }, 'must not have a query or fragment'],
    ['https://10.0.0.5', { production: true }, 'host 10.0.0.5 is internal'],
    ['https://localhost:8443', { production: true }, 'host localhost is internal'],
    ['https://[::1]/', { production: true }, 'host ::1 is internal'],
    ['https://evil.com', { production: true, allowedHosts: ['.eccang.com'] }, 'host evil.com is not allowed'],
  ])('refuses %s', (raw, policy, reason) => {
    expect(checkEccangBaseUrl(raw, policy)).toEqual({ ok: false, reason });
  });
});
