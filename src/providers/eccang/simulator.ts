// An in-memory ECCANG WMS speaking the same SOAP wire as a real host (PROVIDERS.md), for tests,
// benchmarks and the demo. A plain Fetch handler; `listen` serves it over node:http.
//
// Each appToken (+ appKey) is one customer account at the host and sees only its own objects.
//
// Control API (JSON, same server): POST /__control/accounts {appToken, appKey}
//   POST /__control/warehouses {appToken, warehouses:[{warehouse_code, warehouse_name, country_code}]}
//   POST /__control/inventory {appToken, warehouseCode, count | skus, prefix?, sellable?, reserved?}
//   POST /__control/orders/:code/status {status, tracking_no?}   (C W D H N P X; "picking" starts picking)
//   POST /__control/asns/:code/status {status, received?}          (receiving_status integer)
//   POST /__control/progress {appToken?}                           (one progression step; all accounts without appToken)
//   POST /__control/faults {kind, count?, service?, ms?, status?, errCode?, errMessage?, variant?}
//   POST /__control/push-behaviour {duplicate?, delayMs?}
//   GET  /__control/received?appToken=… → that account's {calls, orders, asns, products, subscriptions, pushes}
//   POST /__control/reset
import {
  SERVICE_PATH,
  SOAP_CONTENT_TYPE,
  buildCallServiceResponse,
  buildSoapFault,
  jsonForXml,
  parseCallServiceRequest,
  SoapFormatError,
} from './soap.ts';
import { listen } from '../simulator-server.ts';
import { anyParams } from './wire.ts';

export interface SimWarehouse {
  warehouse_code: string;
  warehouse_name: string;
  country_code: string;
}

export interface SimProduct {
  product_sku: string;
  product_title: string;
  product_barcode: string;
  params: Record<string, unknown>;
}

export interface SimStock {
  product_sku: string;
  warehouse_code: string;
  sellable: number;
  reserved: number;
  onway: number;
  pending: number;
  unsellable: number;
  shipped: number;
}

export interface SimAsn {
  receiving_code: string;
  reference_no: string;
  receiving_status: number;
  warehouse_code: string;
  items: { product_sku: string; quantity: number; received_quantity: number; putaway_quantity: number; box_no: number }[];
  params: Record<string, unknown>;
  date_modify: string;
}

export interface SimOrder {
  order_code: string;
  reference_no: string;
  order_status: string;
  tracking_no: string;
  warehouse_code: string;
  date_shipping: string;
  date_modify: string;
  abnormal_problem_reason: string;
  picking: boolean;
  cancelRequested: boolean;
  items: { product_sku: string; quantity: number }[];
  params: Record<string, unknown>;
}

export type SubscriptType = 'order' | 'receiving' | 'stock';

export interface SimSubscription {
  subscript_type: SubscriptType;
  callback: string;
}

export interface SimPush {
  /** The account whose object changed. */
  appToken: string;
  callback: string;
  body: { app_key: string; msg_id: string; subscript_type: SubscriptType; body: Record<string, string> };
  status: number | 'error';
}

export interface PushBehaviour {
  /** Send every push twice (same msg_id). */
  duplicate?: boolean;
  /** Wait this long before sending. */
  delayMs?: number;
}

export type FaultKind = 'latency' | 'http5xx' | 'hang' | 'malformed' | 'failure' | 'badCredentials' | 'soapFault';

export interface Fault {
  kind: FaultKind;
  /** How many of the next matching calls it applies to (default 1). */
  count?: number;
  /** Only calls to this service (default: any). */
  service?: string;
  /** latency: delay before the normal answer. */
  ms?: number;
  /** http5xx: the status (default 503). */
  status?: number;
  /** failure: the Error sent. */
  errCode?: string;
  errMessage?: string;
  /** malformed: not XML at all, an envelope without <response>, bad JSON, or JSON of the wrong shape. */
  variant?: 'html' | 'envelope' | 'json' | 'shape';
}

export interface ReceivedCall {
  service: string;
  appToken: string;
  params: Record<string, unknown>;
}

interface WireAnswer {
  ask: 'Success' | 'Failure';
  message: string;
  Error?: { errMessage: string; errCode: string } | [];
  [key: string]: unknown;
}

/** The error a bad appToken/appKey gets (ECCANG publishes no code list: ours). */
export const AUTH_ERROR = { errCode: 'AUTH_FAILED', errMessage: 'appToken or appKey is invalid' };

const ORDER_LETTERS = new Set(['C', 'W', 'D', 'H', 'N', 'P', 'X']);

/** One customer account at the 3PL host: its credentials and everything it owns. */
export interface EccangAccount {
  readonly appToken: string;
  appKey: string;
  readonly warehouses: SimWarehouse[];
  readonly products: Map<string, SimProduct>;
  readonly stock: Map<string, SimStock>; // `${warehouse}|${sku}`
  readonly asns: Map<string, SimAsn>;
  readonly orders: Map<string, SimOrder>;
  readonly subscriptions: SimSubscription[];
}

export interface EccangSimulatorOptions {
  /** Verify a callback with GET ?random=N before storing it (default true). */
  verifyCallbacks?: boolean;
  /** Deliver push messages on changes (default true). */
  push?: boolean;
}

export class EccangSimulator {
  private readonly accounts = new Map<string, EccangAccount>(); // by appToken
  /** Every authenticated call, all accounts. */
  readonly calls: ReceivedCall[] = [];
  /** Every push delivery, all accounts. */
  readonly pushes: SimPush[] = [];
  private faults: (Fault & { remaining: number })[] = [];
  private pushBehaviour: PushBehaviour = {};
  private readonly stopTimers = new Set<() => void>();
  private readonly hanging = new Set<() => void>();
  private readonly deliveries = new Set<Promise<void>>();
  private seq = 0;
  private msgSeq = 0;

  constructor(private readonly options: EccangSimulatorOptions = {}) {}

  // ---- control helpers (in-process; the HTTP control API calls the same) ----

  /** Creates the account, or changes its appKey (its objects stay). */
  seedAccount(appToken: string, appKey: string): EccangAccount {
    const existing = this.accounts.get(appToken);
    if (existing) {
      existing.appKey = appKey;
      return existing;
    }
    const account: EccangAccount = { appToken, appKey, warehouses: [], products: new Map(), stock: new Map(), asns: new Map(), orders: new Map(), subscriptions: [] };
    this.accounts.set(appToken, account);
    return account;
  }

  /** The account's state; throws for an unknown appToken. */
  account(appToken: string): EccangAccount {
    const account = this.accounts.get(appToken);
    if (!account) throw new Error(`no account ${appToken}`);
    return account;
  }

  seedWarehouses(appToken: string, warehouses: SimWarehouse[]): void {
    const account = this.account(appToken);
    for (const warehouse of warehouses) {
      const index = account.warehouses.findIndex((w) => w.warehouse_code === warehouse.warehouse_code);
      if (index >= 0) account.warehouses[index] = warehouse;
      else account.warehouses.push(warehouse);
    }
  }

  /**
   * Products with `sellable` units each in one of the account's warehouses: the given `skus`, or
   * `count` generated ones (`${prefix}00001`…). Returns the SKUs.
   */
  seedInventory(
    appToken: string,
    input: { warehouseCode: string; count?: number; skus?: readonly string[]; prefix?: string; sellable?: number; reserved?: number },
  ): string[] {
    const account = this.account(appToken);
    const prefix = input.prefix ?? 'SKU-';
    const skus = input.skus ? [...input.skus] : Array.from({ length: input.count ?? 0 }, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`);
    for (const sku of skus) {
      if (!account.products.has(sku)) account.products.set(sku, { product_sku: sku, product_title: `Product ${sku}`, product_barcode: sku, params: {} });
      const row = stockRow(account, input.warehouseCode, sku);
      row.sellable = input.sellable ?? 100;
      row.reserved = input.reserved ?? 0;
    }
    return skus;
  }

  /** Sets an order's status letter (or 'picking': W with picking started) and pushes to its account. */
  setOrderStatus(orderCode: string, status: string, extra?: { tracking_no?: string; reason?: string }): SimOrder {
    const account = this.owner('orders', orderCode);
    if (!account) throw new Error(`no order ${orderCode}`);
    return this.applyOrderStatus(account, account.orders.get(orderCode)!, status, extra);
  }

  /** Sets an ASN's receiving_status; `received` (default: all, from 8 on) fills received/putaway. */
  setAsnStatus(receivingCode: string, status: number, received?: number): SimAsn {
    const account = this.owner('asns', receivingCode);
    if (!account) throw new Error(`no ASN ${receivingCode}`);
    return this.applyAsnStatus(account, account.asns.get(receivingCode)!, status, received);
  }

  /**
   * Scheduled progression (for demos): every `intervalMs`, orders move one step C → W → D (a
   * cancel in progress → X) and submitted ASNs 1 → 7 → 8 → 10. Returns the stop function.
   */
  startAutoProgress(intervalMs: number): () => void {
    const timer = setInterval(() => this.progressOnce(), intervalMs);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.stopTimers.delete(stop);
    };
    this.stopTimers.add(stop);
    return stop;
  }

  /** One step of scheduled progression (see startAutoProgress), for one account or all of them. */
  progressOnce(appToken?: string): void {
    const accounts = appToken === undefined ? [...this.accounts.values()] : [this.account(appToken)];
    const next: Record<number, number> = { 1: 7, 7: 8, 8: 10 };
    for (const account of accounts) {
      for (const order of account.orders.values()) {
        if (order.order_status === 'C') this.applyOrderStatus(account, order, 'W');
        else if (order.order_status === 'W' && order.cancelRequested) this.applyOrderStatus(account, order, 'X');
        else if (order.order_status === 'W') this.applyOrderStatus(account, order, 'D');
      }
      for (const asn of account.asns.values()) {
        const to = next[asn.receiving_status];
        if (to !== undefined) this.applyAsnStatus(account, asn, to);
      }
    }
  }

  /** Stops scheduled progression. */
  stop(): void {
    for (const stop of [...this.stopTimers]) stop();
  }

  /** How later pushes are delivered: each sent twice, and/or after a delay (so they may arrive out of order). */
  setPushBehaviour(behaviour: PushBehaviour): void {
    this.pushBehaviour = { ...behaviour };
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  reset(): void {
    this.accounts.clear();
    this.calls.length = 0;
    this.pushes.length = 0;
    this.faults = [];
    this.pushBehaviour = {};
  }

  /** Calls one account made, optionally to one service only. */
  received(appToken: string, service?: string): ReceivedCall[] {
    return this.calls.filter((c) => c.appToken === appToken && (!service || c.service === service));
  }

  /** Resolves once every push started so far has been delivered (or failed). */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  /** How many requests are hanging on a `hang` fault right now. */
  get hangingRequests(): number {
    return this.hanging.size;
  }

  /** Ends hanging requests (their clients have timed out by then). */
  releaseHanging(): void {
    for (const release of this.hanging) release();
    this.hanging.clear();
  }

  // ---- the HTTP handler ----

  readonly handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/__control/')) return this.control(request, url);
    if (url.pathname !== SERVICE_PATH) return new Response('Not Found', { status: 404 });
    if (request.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });

    let call: ReturnType<typeof parseCallServiceRequest>;
    try {
      call = parseCallServiceRequest(await request.text());
    } catch (error) {
      if (!(error instanceof SoapFormatError)) throw error;
      return soap(buildSoapFault('SOAP-ENV:Client', error.message), 500);
    }

    const fault = this.takeFault(call.service);
    if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 100));
    if (fault?.kind === 'hang') {
      await new Promise<void>((resolve) => this.hanging.add(resolve));
      return new Response('released', { status: 503 });
    }
    if (fault?.kind === 'http5xx') return new Response('Service Unavailable', { status: fault.status ?? 503 });
    if (fault?.kind === 'soapFault') return soap(buildSoapFault('SOAP-ENV:Server', fault.errMessage ?? 'Internal error'));
    if (fault?.kind === 'malformed') {
      switch (fault.variant ?? 'html') {
        case 'html':
          return new Response('<html><body>502 Bad Gateway</body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
        case 'envelope':
          return soap(buildCallServiceResponse('x').replace(/<response>x<\/response>/, ''));
        case 'json':
          return soap(buildCallServiceResponse('{"ask":"Success",'));
        case 'shape':
          return soap(buildCallServiceResponse('{"ask":42,"data":"nope"}'));
      }
    }
    if (fault?.kind === 'badCredentials') return answer(failure(AUTH_ERROR.errCode, AUTH_ERROR.errMessage));
    if (fault?.kind === 'failure') return answer(failure(fault.errCode ?? 'SIMULATED', fault.errMessage ?? 'Simulated business failure'));

    const account = this.accounts.get(call.appToken);
    if (!account || account.appKey !== call.appKey) return answer(failure(AUTH_ERROR.errCode, AUTH_ERROR.errMessage));

    let params: Record<string, unknown>;
    try {
      params = anyParams.parse(call.paramsJson === '' ? {} : JSON.parse(call.paramsJson));
    } catch {
      return answer(failure('PARAMS_INVALID', 'paramsJson is not a JSON object'));
    }
    this.calls.push({ service: call.service, appToken: call.appToken, params });
    return answer(await this.service(account, call.service, params));
  };

  private takeFault(service: string): Fault | undefined {
    const index = this.faults.findIndex((f) => !f.service || f.service === service);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    if (--fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async service(account: EccangAccount, service: string, p: Record<string, unknown>): Promise<WireAnswer> {
    switch (service) {
      case 'getWarehouse':
        return paged(account.warehouses, p, 1000);
      case 'getShippingMethod':
        return success({ data: account.warehouses.filter((w) => !p.warehouseCode || w.warehouse_code === p.warehouseCode).map((w) => ({ code: 'STANDARD', name: 'Standard', warehouse_code: w.warehouse_code })) });
      case 'createProduct':
        return this.createProduct(account, p);
      case 'getProductList': {
        const skus = arr(p.product_sku_arr) ?? (p.product_sku ? [String(p.product_sku)] : null);
        const rows = [...account.products.values()].filter((x) => !skus || skus.includes(x.product_sku));
        return paged(rows.map(({ params: _params, ...x }) => x), p, 1000);
      }
      case 'createAsn':
        return this.createAsn(account, p);
      case 'cancelAsn':
        return this.cancelAsn(account, p);
      case 'getAsnList': {
        const pageSize = num(p.pageSize);
        if (!num(p.page) || !pageSize || pageSize > 20) return failure('PARAMS_INVALID', 'page and pageSize (at most 20) are required');
        const codes = arr(p.receiving_code_arr);
        const refs = arr(p.reference_no_arr);
        const rows = [...account.asns.values()].filter((a) => (!codes || codes.includes(a.receiving_code)) && (!refs || refs.includes(a.reference_no)));
        return paged(rows.map(({ params: _params, ...a }) => a), p, 20);
      }
      case 'createOrder':
        return this.createOrder(account, p);
      case 'cancelOrder':
        return this.cancelOrder(account, p);
      case 'getOrderByCode':
      case 'getOrderByRefCode': {
        const order = service === 'getOrderByCode' ? account.orders.get(String(p.order_code)) : [...account.orders.values()].find((o) => o.reference_no === String(p.reference_no));
        return order ? success({ data: orderView(order) }) : failure('NOT_FOUND', 'Order not found');
      }
      case 'getOrderList': {
        const pageSize = num(p.pageSize) ?? 20;
        if (pageSize > 100) return failure('PARAMS_INVALID', 'pageSize must be at most 100');
        const codes = arr(p.order_code_arr);
        const rows = [...account.orders.values()].filter((o) => (!codes || codes.includes(o.order_code)) && (!p.order_status || o.order_status === p.order_status));
        return paged(rows.map(orderView), p, 100);
      }
      case 'getProductInventory': {
        if (!num(p.page) || !num(p.pageSize)) return failure('PARAMS_INVALID', 'page and pageSize are required');
        const skus = arr(p.product_sku_arr);
        const rows = [...account.stock.values()].filter((s) => (!p.warehouse_code || s.warehouse_code === p.warehouse_code) && (!skus || skus.includes(s.product_sku)));
        return paged(rows, p, 1000, true);
      }
      case 'messageSubscript':
        return this.subscribe(account, p);
      default:
        return failure('SERVICE_UNKNOWN', `Unknown service ${service}`);
    }
  }

  private createProduct(account: EccangAccount, p: Record<string, unknown>): WireAnswer {
    const missing = ['product_sku', 'product_title', 'product_weight', 'product_length', 'product_width', 'product_height', 'product_declared_value', 'product_declared_name'].filter((f) => p[f] === undefined || p[f] === '');
    if (missing.length) return failure('PARAMS_INVALID', `Missing ${missing.join(', ')}`);
    const sku = String(p.product_sku);
    if (account.products.has(sku)) return failure('PRODUCT_EXISTS', `product_sku ${sku} already exists`);
    account.products.set(sku, { product_sku: sku, product_title: String(p.product_title), product_barcode: String(p.product_barcode ?? sku), params: p });
    return success({});
  }

  private createAsn(account: EccangAccount, p: Record<string, unknown>): WireAnswer {
    const missing = ['reference_no', 'warehouse_code', 'items'].filter((f) => !p[f]);
    if (missing.length) return failure('PARAMS_INVALID', `Missing ${missing.join(', ')}`);
    const reference = String(p.reference_no);
    if ([...account.asns.values()].some((a) => a.reference_no === reference)) return failure('REFERENCE_EXISTS', `reference_no ${reference} already exists`);
    if (!account.warehouses.some((w) => w.warehouse_code === p.warehouse_code)) return failure('WAREHOUSE_INVALID', `warehouse_code ${String(p.warehouse_code)} is invalid`);
    const items = (Array.isArray(p.items) ? p.items : []) as Record<string, unknown>[];
    if (items.length === 0 || items.some((i) => !i.product_sku || !num(i.quantity) || i.box_no === undefined)) return failure('PARAMS_INVALID', 'items need product_sku, quantity and box_no');
    const code = `RV${String(++this.seq).padStart(8, '0')}`;
    account.asns.set(code, {
      receiving_code: code,
      reference_no: reference,
      receiving_status: p.verify === 1 || p.verify === '1' ? 1 : 0,
      warehouse_code: String(p.warehouse_code),
      items: items.map((i) => ({ product_sku: String(i.product_sku), quantity: num(i.quantity)!, received_quantity: 0, putaway_quantity: 0, box_no: num(i.box_no) ?? 1 })),
      params: p,
      date_modify: now(),
    });
    return success({ receiving_code: code });
  }

  private applyOrderStatus(account: EccangAccount, order: SimOrder, status: string, extra?: { tracking_no?: string; reason?: string }): SimOrder {
    if (status === 'picking') {
      order.order_status = 'W';
      order.picking = true;
    } else {
      if (!ORDER_LETTERS.has(status)) throw new Error(`unknown order_status ${status}`);
      order.order_status = status;
      if (status === 'D') {
        order.tracking_no = extra?.tracking_no ?? (order.tracking_no || `TRK${order.order_code}`);
        order.date_shipping = now();
      }
      if (status === 'N' || status === 'P') order.abnormal_problem_reason = extra?.reason ?? 'simulated problem';
    }
    order.date_modify = now();
    this.push(account, 'order', { order_code: order.order_code, warehouse_code: order.warehouse_code });
    return order;
  }

  private applyAsnStatus(account: EccangAccount, asn: SimAsn, status: number, received?: number): SimAsn {
    asn.receiving_status = status;
    for (const item of asn.items) {
      if (status >= 8 && status < 100) item.received_quantity = received ?? item.quantity;
      if (status === 10) {
        item.putaway_quantity = received ?? item.quantity;
        stockRow(account, asn.warehouse_code, item.product_sku).sellable += item.putaway_quantity;
        this.push(account, 'stock', { product_sku: item.product_sku, warehouse_code: asn.warehouse_code });
      }
    }
    asn.date_modify = now();
    this.push(account, 'receiving', { receiving_code: asn.receiving_code, warehouse_code: asn.warehouse_code });
    return asn;
  }

  /** The account owning an order or ASN code (codes are unique across accounts). */
  private owner(kind: 'orders' | 'asns', code: string): EccangAccount | undefined {
    for (const account of this.accounts.values()) if (account[kind].has(code)) return account;
    return undefined;
  }

  private cancelAsn(account: EccangAccount, p: Record<string, unknown>): WireAnswer {
    const asn = account.asns.get(String(p.receiving_code));
    if (!asn) return failure('NOT_FOUND', `receiving_code ${String(p.receiving_code)} not found`);
    if (asn.receiving_status === 100) return success({ receiving_code: asn.receiving_code });
    if (asn.receiving_status > 1) return failure('CANCEL_REFUSED', 'ASN can no longer be cancelled');
    asn.receiving_status = 100;
    asn.date_modify = now();
    this.push(account, 'receiving', { receiving_code: asn.receiving_code, warehouse_code: asn.warehouse_code });
    return success({ receiving_code: asn.receiving_code });
  }

  private createOrder(account: EccangAccount, p: Record<string, unknown>): WireAnswer {
    const missing = ['reference_no', 'shipping_method', 'warehouse_code', 'country_code', 'address1', 'zipcode', 'name', 'phone', 'items'].filter((f) => !p[f]);
    if (missing.length) return failure('PARAMS_INVALID', `Missing ${missing.join(', ')}`);
    const reference = String(p.reference_no);
    if ([...account.orders.values()].some((o) => o.reference_no === reference)) return failure('REFERENCE_EXISTS', `reference_no ${reference} already exists`);
    if (!account.warehouses.some((w) => w.warehouse_code === p.warehouse_code)) return failure('WAREHOUSE_INVALID', `warehouse_code ${String(p.warehouse_code)} is invalid`);
    const items = (Array.isArray(p.items) ? p.items : []) as Record<string, unknown>[];
    if (items.length === 0 || items.some((i) => !i.product_sku || !num(i.quantity))) return failure('PARAMS_INVALID', 'items need product_sku and quantity');
    const code = `EC${String(++this.seq).padStart(8, '0')}`;
    account.orders.set(code, {
      order_code: code,
      reference_no: reference,
      order_status: 'C',
      tracking_no: typeof p.tracking_no === 'string' ? p.tracking_no : '',
      warehouse_code: String(p.warehouse_code),
      date_shipping: '',
      date_modify: now(),
      abnormal_problem_reason: '',
      picking: false,
      cancelRequested: false,
      items: items.map((i) => ({ product_sku: String(i.product_sku), quantity: num(i.quantity)! })),
      params: p,
    });
    return success({ order_code: code });
  }

  /** C → cancelled now (2); W before picking → in progress (1), finished by setOrderStatus X; after → 3. */
  private cancelOrder(account: EccangAccount, p: Record<string, unknown>): WireAnswer {
    const order = account.orders.get(String(p.order_code));
    if (!order) return failure('NOT_FOUND', `order_code ${String(p.order_code)} not found`);
    const reply = (cancelStatus: number) => success({ order_code: order.order_code, cancel_status: cancelStatus });
    if (order.order_status === 'X') return reply(2);
    if (order.order_status === 'C') {
      order.order_status = 'X';
      order.date_modify = now();
      this.push(account, 'order', { order_code: order.order_code, warehouse_code: order.warehouse_code });
      return reply(2);
    }
    if (order.order_status === 'W' && !order.picking) {
      order.cancelRequested = true;
      return reply(1);
    }
    return { ...failure('CANCEL_REFUSED', 'Picking has started: the order can no longer be cancelled'), order_code: order.order_code, cancel_status: 3 };
  }

  private async subscribe(account: EccangAccount, p: Record<string, unknown>): Promise<WireAnswer> {
    const type = String(p.subscript_type);
    if (type !== 'order' && type !== 'receiving' && type !== 'stock') return failure('PARAMS_INVALID', `Unknown subscript_type ${type}`);
    const callback = typeof p.callback === 'string' ? p.callback : '';
    let target: URL;
    try {
      target = new URL(callback);
    } catch {
      return failure('PARAMS_INVALID', 'callback must be a URL');
    }
    if (this.options.verifyCallbacks ?? true) {
      const random = String(Math.floor(Math.random() * 1e9));
      target.searchParams.set('random', random);
      try {
        const response = await fetch(target, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
        const body = (await response.json()) as { random?: unknown };
        if (!response.ok || String(body.random) !== random) return failure('CALLBACK_INVALID', 'callback did not echo random');
      } catch {
        return failure('CALLBACK_INVALID', 'callback could not be verified');
      }
    }
    const existing = account.subscriptions.find((s) => s.subscript_type === type);
    if (existing) existing.callback = callback;
    else account.subscriptions.push({ subscript_type: type, callback });
    return success({});
  }

  /** Push: tells the owning account's subscriber to pull the object again (body shape is ours: PROVIDERS.md). */
  private push(account: EccangAccount, type: SubscriptType, body: Record<string, string>): void {
    if (this.options.push === false) return;
    for (const subscription of account.subscriptions.filter((s) => s.subscript_type === type)) {
      const message: SimPush['body'] = { app_key: account.appKey, msg_id: `MSG${String(++this.msgSeq).padStart(10, '0')}`, subscript_type: type, body };
      const { duplicate = false, delayMs = 0 } = this.pushBehaviour;
      for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) this.deliver(account.appToken, subscription.callback, message, delayMs);
    }
  }

  private deliver(appToken: string, callback: string, message: SimPush['body'], delayMs: number): void {
    const delivery = new Promise((resolve) => setTimeout(resolve, delayMs))
      .then(() =>
        fetch(callback, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(5_000),
          redirect: 'error',
        }),
      )
      .then(async (response) => {
        await response.arrayBuffer().catch(() => undefined);
        this.pushes.push({ appToken, callback, body: message, status: response.status });
      })
      .catch(() => {
        this.pushes.push({ appToken, callback, body: message, status: 'error' });
      })
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  private async control(request: Request, url: URL): Promise<Response> {
    const json = (value: unknown, status = 200) => Response.json(value, { status });
    try {
      const body = request.method === 'POST' ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
      const path = url.pathname.slice('/__control'.length);
      let m: RegExpExecArray | null;
      if (request.method === 'POST' && path === '/accounts') {
        this.seedAccount(String(body.appToken), String(body.appKey));
        return json({ ok: true });
      }
      if (request.method === 'POST' && path === '/warehouses') {
        this.seedWarehouses(appTokenOf(body.appToken), (body.warehouses ?? []) as SimWarehouse[]);
        return json({ ok: true });
      }
      if (request.method === 'POST' && path === '/inventory') {
        const skus = this.seedInventory(appTokenOf(body.appToken), {
          warehouseCode: String(body.warehouseCode),
          count: typeof body.count === 'number' ? body.count : undefined,
          skus: Array.isArray(body.skus) ? body.skus.map(String) : undefined,
          prefix: typeof body.prefix === 'string' ? body.prefix : undefined,
          sellable: typeof body.sellable === 'number' ? body.sellable : undefined,
          reserved: typeof body.reserved === 'number' ? body.reserved : undefined,
        });
        return json({ skus });
      }
      if (request.method === 'POST' && (m = /^\/orders\/([^/]+)\/status$/.exec(path))) {
        const order = this.setOrderStatus(decodeURIComponent(m[1]!), String(body.status), {
          tracking_no: typeof body.tracking_no === 'string' ? body.tracking_no : undefined,
        });
        return json(orderView(order));
      }
      if (request.method === 'POST' && (m = /^\/asns\/([^/]+)\/status$/.exec(path))) {
        const { params: _params, ...asn } = this.setAsnStatus(decodeURIComponent(m[1]!), Number(body.status), typeof body.received === 'number' ? body.received : undefined);
        return json(asn);
      }
      if (request.method === 'POST' && path === '/progress') {
        this.progressOnce(body.appToken === undefined ? undefined : appTokenOf(body.appToken));
        return json({ ok: true });
      }
      if (request.method === 'POST' && path === '/push-behaviour') {
        this.setPushBehaviour(body as PushBehaviour);
        return json({ ok: true });
      }
      if (request.method === 'POST' && path === '/faults') {
        this.injectFault(body as unknown as Fault);
        return json({ ok: true });
      }
      if (request.method === 'GET' && path === '/received') {
        const account = this.account(appTokenOf(url.searchParams.get('appToken')));
        return json({
          calls: this.received(account.appToken),
          orders: [...account.orders.values()],
          asns: [...account.asns.values()],
          products: [...account.products.values()],
          subscriptions: account.subscriptions,
          pushes: this.pushes.filter((push) => push.appToken === account.appToken),
        });
      }
      if (request.method === 'POST' && path === '/reset') {
        this.reset();
        return json({ ok: true });
      }
      return json({ error: 'unknown control route' }, 404);
    } catch (error) {
      return json({ error: (error as Error).message }, 400);
    }
  }
}

function stockRow(account: EccangAccount, warehouseCode: string, sku: string): SimStock {
  const key = `${warehouseCode}|${sku}`;
  let row = account.stock.get(key);
  if (!row) {
    row = { product_sku: sku, warehouse_code: warehouseCode, sellable: 0, reserved: 0, onway: 0, pending: 0, unsellable: 0, shipped: 0 };
    account.stock.set(key, row);
  }
  return row;
}

function appTokenOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new Error('appToken is required');
  return value;
}

// ---- wire helpers ----

function soap(xml: string, status = 200): Response {
  return new Response(xml, { status, headers: { 'content-type': SOAP_CONTENT_TYPE } });
}

function answer(body: WireAnswer): Response {
  return soap(buildCallServiceResponse(jsonForXml(body)));
}

function success(extra: Record<string, unknown>): WireAnswer {
  return { ask: 'Success', message: 'Success', Error: [], ...extra };
}

function failure(errCode: string, errMessage: string): WireAnswer {
  return { ask: 'Failure', message: errMessage, Error: { errMessage, errCode } };
}

/** page/pageSize paging; both omitted → everything. `nextPage` as "true"/"false" strings on inventory (hosts differ). */
function paged<T>(rows: T[], p: Record<string, unknown>, maxPageSize: number, stringNextPage = false): WireAnswer {
  const page = num(p.page) ?? 1;
  const pageSize = Math.min(num(p.pageSize) ?? (rows.length || 1), maxPageSize);
  const data = rows.slice((page - 1) * pageSize, page * pageSize);
  const nextPage = page * pageSize < rows.length;
  return success({ data, count: rows.length, nextPage: stringNextPage ? String(nextPage) : nextPage, pagination: { pageSize, page } });
}

function orderView(order: SimOrder): Record<string, unknown> {
  return {
    order_code: order.order_code,
    reference_no: order.reference_no,
    order_status: order.order_status,
    tracking_no: order.tracking_no,
    warehouse_code: order.warehouse_code,
    date_shipping: order.date_shipping,
    date_modify: order.date_modify,
    abnormal_problem_reason: order.abnormal_problem_reason,
    items: order.items,
  };
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function arr(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(String) : null;
}

/** "yyyy-MM-dd HH:mm:ss" in China time, as ECCANG writes dates. */
function now(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---- serving ----

export interface RunningEccangSimulator {
  url: string;
  simulator: EccangSimulator;
  close(): Promise<void>;
}

/** Starts a simulator over HTTP; the returned `simulator` is the control surface in-process. */
export async function startEccangSimulator(options: { port?: number; autoProgressMs?: number } & EccangSimulatorOptions = {}): Promise<RunningEccangSimulator> {
  const simulator = new EccangSimulator(options);
  const server = await listen(simulator.handle, options.port ?? 0, () => simulator.releaseHanging());
  if (options.autoProgressMs) simulator.startAutoProgress(options.autoProgressMs);
  return {
    url: server.url,
    simulator,
    close: async () => {
      simulator.stop();
      await simulator.settled();
      await server.close();
    },
  };
}

/**
 * Demo seed for one account: two warehouses with stock of each SKU in both; `skus` is a count of
 * generated SKUs (default 20) or the SKU codes themselves (e.g. the demo merchant's).
 */
export function seedDemo(simulator: EccangSimulator, input: { appToken: string; appKey: string; skus?: number | readonly string[] }): void {
  simulator.seedAccount(input.appToken, input.appKey);
  simulator.seedWarehouses(input.appToken, [
    { warehouse_code: 'BKK1', warehouse_name: 'Bangkok Bang Na', country_code: 'TH' },
    { warehouse_code: 'CGK1', warehouse_name: 'Jakarta Cikarang', country_code: 'ID' },
  ]);
  const skus = typeof input.skus === 'object' ? { skus: input.skus } : { count: input.skus ?? 20 };
  for (const warehouseCode of ['BKK1', 'CGK1']) simulator.seedInventory(input.appToken, { warehouseCode, ...skus });
}
