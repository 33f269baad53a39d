// Golden wire tests: the exact bytes the client sends, against fixtures written by hand from
// PROVIDERS.md ("ECCANG WMS / Transport" and "Services").
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEccangProvider } from '../../../src/providers/eccang/client.ts';

const PREFIX =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.example.org/Ec/">' +
  '<SOAP-ENV:Body><ns1:callService>';
const SUFFIX = '</ns1:callService></SOAP-ENV:Body></SOAP-ENV:Envelope>';
const CREDENTIALS = '<appToken>tok&amp;1</appToken><appKey>key&lt;2&gt;</appKey>';

describe('ECCANG request bytes', () => {
  let server: Server;
  let baseUrl: string;
  let received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  let reply: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(reply);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
  });

  const provider = () => createEccangProvider({ baseUrl: `${baseUrl}/`, appToken: 'tok&1', appKey: 'key<2>' });
  // A reply as a real host might send it: no ns1 prefix on callServiceResponse, numbers as strings.
  const answer = (json: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><callServiceResponse><response>${json}</response></callServiceResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

  it('createOrder: envelope, escaping, headers and path', async () => {
    // given
    reply = answer('{"ask":"Success","message":"Success","order_code":"EC001"}');
    // when
    const result = await provider().createOutbound({
      reference: 'OUT-0001',
      warehouseCode: 'BKK1',
      shippingMethod: 'TH-STD',
      recipient: { name: 'Somchai', phone: '+66812345678', address1: '12 Soi 5 & "Main" <Rd>', city: 'Bang Rak', province: 'Bangkok', zipcode: '10500', country: 'TH' },
      trackingNumber: 'TH123',
      platform: 'SHOPEE',
      channelOrderNo: '2611230001',
      lines: [
        { sku: 'SKU-1', quantity: 2, unitPriceMinor: 1000 },
        { sku: 'OUR-2', providerSkuId: 'SKU-2', quantity: 1 },
      ],
    });
    // then
    expect(result).toEqual({ providerRef: 'EC001' });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.url).toBe('/default/svc/web-service');
    expect(received[0]!.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(received[0]!.body).toBe(
      PREFIX +
        String.raw`<paramsJson>{"reference_no":"OUT-0001","shipping_method":"TH-STD","warehouse_code":"BKK1","country_code":"TH","province":"Bangkok","city":"Bang Rak","address1":"12 Soi 5 &amp; \"Main\" &lt;Rd&gt;","zipcode":"10500","name":"Somchai","phone":"+66812345678","platform":"SHOPEE","tracking_no":"TH123","verify":1,"items":[{"product_sku":"SKU-1","quantity":2},{"product_sku":"SKU-2","quantity":1}]}</paramsJson>` +
        CREDENTIALS +
        '<service>createOrder</service><language>en_US</language>' +
        SUFFIX,
    );
  });

  it('createAsn: box_no 1 and eta_date in China time', async () => {
    // given
    reply = answer('{"ask":"Success","message":"Success","receiving_code":"RV001"}');
    // when
    const result = await provider().createInbound({
      reference: 'IN-0001',
      warehouseCode: 'BKK1',
      lines: [{ sku: 'SKU-1', quantity: 10 }],
      trackingNumber: 'TRK-9',
      expectedAt: new Date('2026-11-30T20:00:00Z'),
    });
    // then
    expect(result).toEqual({ providerRef: 'RV001' });
    expect(received[0]!.body).toBe(
      PREFIX +
        '<paramsJson>{"reference_no":"IN-0001","warehouse_code":"BKK1","income_type":0,"tracking_number":"TRK-9","eta_date":"2026-12-01","verify":1,"items":[{"product_sku":"SKU-1","quantity":10,"box_no":1}]}</paramsJson>' +
        CREDENTIALS +
        '<service>createAsn</service><language>en_US</language>' +
        SUFFIX,
    );
  });

  it('createProduct: kg, cm and USD', async () => {
    // given
    reply = answer('{"ask":"Success","message":"Success"}');
    // when
    const result = await provider().pushProduct({
      sku: 'SKU-1',
      name: 'Thai Tea 500g',
      weightGrams: 1250,
      lengthMm: 305,
      widthMm: 200,
      heightMm: 55,
      declaredValueCents: 1999,
      declaredName: 'Tea',
    });
    // then
    expect(result).toEqual({ providerSkuId: 'SKU-1' });
    expect(received[0]!.body).toBe(
      PREFIX +
        '<paramsJson>{"product_sku":"SKU-1","product_title":"Thai Tea 500g","product_weight":1.25,"product_length":30.5,"product_width":20,"product_height":5.5,"product_declared_value":19.99,"product_declared_name":"Tea","verify":1}</paramsJson>' +
        CREDENTIALS +
        '<service>createProduct</service><language>en_US</language>' +
        SUFFIX,
    );
  });

  it('getOrderList and cancelOrder bodies; string numbers in the reply are read', async () => {
    // given
    reply = answer(
      '{"ask":"Success","message":"Success","count":"1","nextPage":"false","data":[{"order_code":"EC001","reference_no":"OUT-0001","order_status":"D","tracking_no":"TH123","warehouse_code":"BKK1","date_shipping":"2026-11-23 20:30:00","date_modify":"2026-11-23 20:30:00","abnormal_problem_reason":"","items":[]}]}',
    );
    // when
    const states = await provider().getOutbound(['EC001']);
    // then
    expect(received[0]!.body).toBe(
      PREFIX + '<paramsJson>{"order_code_arr":["EC001"],"page":1,"pageSize":100}</paramsJson>' + CREDENTIALS + '<service>getOrderList</service><language>en_US</language>' + SUFFIX,
    );
    expect(states).toEqual([
      { providerRef: 'EC001', reference: 'OUT-0001', rawStatus: 'D', status: 'COMPLETED', trackingNumber: 'TH123', changedAt: new Date('2026-11-23T12:30:00Z') },
    ]);

    // given
    reply = answer('{"ask":"Success","message":"Success","order_code":"EC001","cancel_status":"1"}');
    // when
    const outcome = await provider().cancelOutbound('EC001');
    // then
    expect(outcome).toBe('CANCELLING');
    expect(received[1]!.body).toBe(PREFIX + '<paramsJson>{"order_code":"EC001"}</paramsJson>' + CREDENTIALS + '<service>cancelOrder</service><language>en_US</language>' + SUFFIX);
  });

  it('messageSubscript: one call per subscript_type', async () => {
    // given
    reply = answer('{"ask":"Success","message":"Success"}');
    // when
    await provider().registerPush('https://gw.example.com/webhooks/eccang/abc?x=1&y=2');
    // then
    expect(received.map((r) => r.body)).toEqual(
      ['order', 'receiving', 'stock'].map(
        (type) =>
          PREFIX +
          `<paramsJson>{"subscript_type":"${type}","callback":"https://gw.example.com/webhooks/eccang/abc?x=1&amp;y=2"}</paramsJson>` +
          CREDENTIALS +
          '<service>messageSubscript</service><language>en_US</language>' +
          SUFFIX,
      ),
    );
  });

  it('an ask that merely contains "Success" is not success', async () => {
    // given
    reply = answer('{"ask":"NotSuccess","message":"?"}');
    // when / then
    await expect(provider().verifyCredentials()).rejects.toMatchObject({ code: 'MALFORMED' });
  });
});
