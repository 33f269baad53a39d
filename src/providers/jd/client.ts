// JD Fulfillment (ECLP on JOS) client: signed routerjson calls mapped onto FulfillmentProvider.
import type { z } from 'zod';
import { providerFetch, recordedCall } from '../http.ts';
import {
  ProviderError,
  type CancelOutcome,
  type FulfillmentProvider,
  type InboundState,
  type OutboundState,
  type ProviderCallRecorder,
  type ProviderCapabilities,
} from '../types.ts';
import { DEFAULT_JD_STATUS_TABLES, latestOutboundStatus, mapCancelOutcome, mapInboundStatus, type JdStatusTables } from './mapper.ts';
import { jdSign, jdTimestamp, parseJdTimestamp } from './sign.ts';
import {
  addOrderResultSchema,
  addPoOrderResultSchema,
  cancelOrderResultSchema,
  cancelPoOrderResultSchema,
  jdErrorResponseSchema,
  jdResponseKeys,
  queryOrderStatusResultSchema,
  queryPoOrderResultSchema,
  queryStockResultSchema,
  queryWarehouseResultSchema,
  transportGoodsInfoResultSchema,
  type JdErrorResponse,
} from './wire.ts';

export const JD_ROUTER_URL = 'https://api.jd.com/routerjson';

export const JD_METHODS = {
  queryWarehouse: 'jingdong.eclp.master.queryWarehouse',
  transportGoodsInfo: 'jingdong.eclp.goods.transportGoodsInfo',
  addPoOrder: 'jingdong.eclp.po.addPoOrder',
  queryPoOrder: 'jingdong.eclp.po.queryPoOrder',
  cancalPoOrder: 'jingdong.eclp.po.cancalPoOrder',
  addOrder: 'jingdong.eclp.order.addOrder',
  queryOrderStatus: 'jingdong.eclp.order.queryOrderStatus',
  cancelOrder: 'jingdong.eclp.order.cancelOrder',
  queryStock: 'jingdong.eclp.stock.queryStock',
} as const;

export const JD_CAPABILITIES: ProviderCapabilities = {
  // The JD help page names no destination countries: nothing to restrict on.
  countries: 'ANY',
  // Cancel is refused from picking on.
  cancelAllowedUpTo: 'ACCEPTED',
  pushStatus: true,
};

/**
 * `error_response.code` values meaning "your credentials are refused". 21 (invalid app_key) is
 * confirmed; 19 (access token) and 25 (sign) are the simulator's, so the set is configurable.
 */
export const DEFAULT_JD_AUTH_ERROR_CODES: readonly string[] = ['19', '21', '25'];

/** Fixed addOrder fields JD assigns per merchant/ISV (unsourced values: configure per binding). */
export interface JdOrderDefaults {
  isvSource: string;
  shopNo: string;
  /** Used when the outbound request names no shipping method. */
  shipperNo: string;
  soType: string;
  orderMark: string;
}

export interface JdProviderOptions {
  routerUrl?: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  deptNo: string;
  timeoutMs?: number;
  clock?: () => Date;
  record?: ProviderCallRecorder;
  /** addPoOrder `supplierNo`: the merchant's supplier registered at JD. */
  supplierNo?: string;
  orderDefaults?: Partial<JdOrderDefaults>;
  statusTables?: Partial<JdStatusTables>;
  authErrorCodes?: readonly string[];
  /**
   * A business error naming a missing order/PO, on the calls that address one by number
   * (get/cancel), becomes NOT_FOUND. JD's wording is unsourced; the simulator says "不存在".
   */
  notFoundPattern?: RegExp;
  /**
   * JD's push subscription has no public API (unsourced). When set, registerPush POSTs
   * `{appKey, deptNo, callbackUrl}` here: the simulator's `/__control/push` endpoint.
   * Unset (a real JD binding), registerPush refuses: subscribe in the JOS console.
   */
  pushRegistrationUrl?: string;
}

const DEFAULT_ORDER_DEFAULTS: JdOrderDefaults = { isvSource: '', shopNo: '', shipperNo: '', soType: '1', orderMark: '' };

export function createJdProvider(options: JdProviderOptions): FulfillmentProvider {
  const routerUrl = options.routerUrl ?? JD_ROUTER_URL;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const clock = options.clock ?? (() => new Date());
  const tables: JdStatusTables = { ...DEFAULT_JD_STATUS_TABLES, ...options.statusTables };
  const authCodes = new Set(options.authErrorCodes ?? DEFAULT_JD_AUTH_ERROR_CODES);
  const orderDefaults: JdOrderDefaults = { ...DEFAULT_ORDER_DEFAULTS, ...options.orderDefaults };
  const deptNo = options.deptNo;
  const notFoundPattern = options.notFoundPattern ?? /不存在|not exist|not found|unknown (eclpSoNo|poOrderNo)/i;
  const addressesOneObject = new Set(['getOutbound', 'cancelOutbound', 'cancelInbound']);

  const fail = (code: ConstructorParameters<typeof ProviderError>[1], message: string) => new ProviderError('JD', code, message);

  /** One signed routerjson call; returns the method's result object, parsed with `schema`. */
  async function call<S extends z.ZodType>(operation: string, method: string, business: object, schema: S): Promise<z.output<S>> {
    const params: Record<string, string> = {
      '360buy_param_json': JSON.stringify(business),
      access_token: options.accessToken,
      app_key: options.appKey,
      format: 'json',
      method,
      timestamp: jdTimestamp(clock()),
      v: '2.0',
    };
    const form = new URLSearchParams(params);
    form.set('sign', jdSign(params, options.appSecret));
    const body = await providerFetch({
      provider: 'JD',
      method: operation,
      url: routerUrl,
      timeoutMs,
      init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: form.toString() },
    });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw fail('MALFORMED', `${operation}: the answer is not JSON`);
    }
    const error = jdErrorResponseSchema.safeParse(json);
    if (error.success) throw errorFromResponse(operation, error.data.error_response);
    const envelope = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const [responce, response] = jdResponseKeys(method);
    const result = envelope[responce] ?? envelope[response];
    if (result === undefined) throw fail('MALFORMED', `${operation}: no ${responce} in the answer`);
    const parsed = schema.safeParse(result);
    if (!parsed.success) throw fail('MALFORMED', `${operation}: unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  function errorFromResponse(operation: string, error: JdErrorResponse): ProviderError {
    const description = error.en_desc || error.zh_desc || 'no description';
    const message = `${operation}: JD error ${error.code}: ${description}${error.zh_desc && error.zh_desc !== description ? ` (${error.zh_desc})` : ''}`;
    if (authCodes.has(error.code)) return fail('AUTH', message);
    if (isDuplicate(error)) return fail('DUPLICATE', message);
    if (addressesOneObject.has(operation) && notFoundPattern.test(`${error.en_desc ?? ''} ${error.zh_desc ?? ''}`)) return fail('NOT_FOUND', message);
    return fail('REJECTED', message);
  }

  const run = <T>(operation: string, work: () => Promise<T>) => recordedCall({ provider: 'JD', method: operation, record: options.record }, work);

  /**
   * isvUUID / spPoOrderNo are unique at JD; a second create with the same reference comes back
   * as an error (simulator: "duplicate …, existing <number>"). The existing object's number, when
   * the error names it, is returned as the result, so a retried create never doubles the object.
   */
  async function createOnce(operation: string, create: () => Promise<string>): Promise<{ providerRef: string }> {
    try {
      return { providerRef: await create() };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'DUPLICATE') {
        const existing = /(?:existing |已存在)([A-Za-z0-9_-]+)/.exec(error.message)?.[1];
        if (existing) return { providerRef: existing };
      }
      throw error;
    }
  }

  async function cancel(operation: string, method: string, business: object, schema: typeof cancelOrderResultSchema | typeof cancelPoOrderResultSchema) {
    return run(operation, async (): Promise<CancelOutcome> => {
      const result = await call(operation, method, business, schema);
      const payload = 'cancelorder_result' in result ? result.cancelorder_result : result.cancalpoorder_result;
      const outcome = mapCancelOutcome(payload.code, tables.cancel);
      if (!outcome) throw fail('MALFORMED', `${operation}: unknown cancel result code ${payload.code}`);
      return outcome;
    });
  }

  const listWarehouses = () =>
    run('listWarehouses', async () => {
      const result = await call('listWarehouses', JD_METHODS.queryWarehouse, { deptNo }, queryWarehouseResultSchema);
      return result.querywarehouse_result.map((warehouse) => ({ code: warehouse.warehouseNo, name: warehouse.warehouseName, country: null }));
    });

  return {
    name: 'JD',
    capabilities: JD_CAPABILITIES,

    verifyCredentials: () =>
      run('verifyCredentials', async () => {
        await call('verifyCredentials', JD_METHODS.queryWarehouse, { deptNo }, queryWarehouseResultSchema);
      }),

    listWarehouses,

    pushProduct: (product) =>
      run('pushProduct', async () => {
        // Units (unsourced): millimetres and kilograms, as ECLP's goods master shows them.
        const business = {
          deptNo,
          isvGoodsNo: product.sku,
          goodsName: product.name,
          barcodes: product.barcode ?? '',
          length: product.lengthMm ?? undefined,
          width: product.widthMm ?? undefined,
          height: product.heightMm ?? undefined,
          netWeight: product.weightGrams == null ? undefined : product.weightGrams / 1000,
          grossWeight: product.weightGrams == null ? undefined : product.weightGrams / 1000,
        };
        const result = await call('pushProduct', JD_METHODS.transportGoodsInfo, business, transportGoodsInfoResultSchema);
        return { providerSkuId: result.goodsNo };
      }),

    createInbound: (request) =>
      run('createInbound', () =>
        createOnce('createInbound', async () => {
          const missing = request.lines.filter((line) => !line.providerSkuId).map((line) => line.sku);
          if (missing.length > 0) throw fail('REJECTED', `createInbound: no JD goodsNo for ${missing.join(', ')}: push the products first`);
          const business = {
            spPoOrderNo: request.reference,
            deptNo,
            whNo: request.warehouseCode,
            supplierNo: options.supplierNo ?? '',
            deptGoodsNo: request.lines.map((line) => line.providerSkuId).join(','),
            numApplication: request.lines.map((line) => line.quantity).join(','),
            // goodsStatus 1: sellable stock (良品).
            goodsStatus: request.lines.map(() => '1').join(','),
          };
          return (await call('createInbound', JD_METHODS.addPoOrder, business, addPoOrderResultSchema)).poOrderNo;
        }),
      ),

    cancelInbound: (providerRef) => cancel('cancelInbound', JD_METHODS.cancalPoOrder, { poOrderNo: providerRef }, cancelPoOrderResultSchema),

    getInbound: (providerRefs) =>
      run('getInbound', async () => {
        if (providerRefs.length === 0) return [];
        const result = await call('getInbound', JD_METHODS.queryPoOrder, { poOrderNo: providerRefs.join(',') }, queryPoOrderResultSchema);
        return result.queryPoModelList.map((po, index): InboundState => {
          const received = po.poItemModelList.reduce((sum, item) => sum + item.realInstoreQty, 0);
          const status = mapInboundStatus(po.poOrderStatus, received, tables.inbound);
          if (!status) throw fail('MALFORMED', `getInbound: unknown poOrderStatus ${po.poOrderStatus}`);
          return {
            providerRef: po.poOrderNo ?? providerRefs[index] ?? '',
            reference: po.isvPoOrderNo,
            rawStatus: po.poOrderStatus,
            status,
            // Lines carry JD's goodsNo unless the answer also names our SKU.
            lines: po.poItemModelList.map((item) => ({ sku: item.isvGoodsNo ?? item.goodsNo, quantity: item.numApplication ?? 0, received: item.realInstoreQty })),
          };
        });
      }),

    createOutbound: (request) =>
      run('createOutbound', () =>
        createOnce('createOutbound', async () => {
          const missing = request.lines.filter((line) => !line.providerSkuId).map((line) => line.sku);
          if (missing.length > 0) throw fail('REJECTED', `createOutbound: no JD goodsNo for ${missing.join(', ')}: push the products first`);
          const { recipient } = request;
          const business = {
            isvUUID: request.reference,
            isvSource: orderDefaults.isvSource,
            shopNo: orderDefaults.shopNo,
            departmentNo: deptNo,
            warehouseNo: request.warehouseCode,
            shipperNo: request.shippingMethod || orderDefaults.shipperNo,
            salesPlatformOrderNo: request.channelOrderNo,
            soType: orderDefaults.soType,
            consigneeName: recipient.name,
            consigneeMobile: recipient.phone,
            consigneeAddress: recipient.address1,
            consigneeProvince: recipient.province ?? '',
            consigneeCity: recipient.city ?? '',
            consigneePostcode: recipient.zipcode,
            orderMark: orderDefaults.orderMark,
            goodsNo: request.lines.map((line) => line.providerSkuId).join(','),
            quantity: request.lines.map((line) => line.quantity).join(','),
            price: request.lines.map((line) => ((line.unitPriceMinor ?? 0) / 100).toFixed(2)).join(','),
          };
          return (await call('createOutbound', JD_METHODS.addOrder, business, addOrderResultSchema)).eclpSoNo;
        }),
      ),

    cancelOutbound: (providerRef) => cancel('cancelOutbound', JD_METHODS.cancelOrder, { eclpSoNo: providerRef }, cancelOrderResultSchema),

    getOutbound: (providerRefs) =>
      run('getOutbound', async () => {
        const states: OutboundState[] = [];
        // queryOrderStatus takes one eclpSoNo per call.
        for (const providerRef of providerRefs) {
          const result = await call('getOutbound', JD_METHODS.queryOrderStatus, { eclpSoNo: providerRef }, queryOrderStatusResultSchema);
          const latest = latestOutboundStatus(result.orderStatusList, tables.outbound);
          if (!latest) throw fail('MALFORMED', `getOutbound: no status for ${providerRef}`);
          states.push({
            providerRef: result.eclpSoNo ?? providerRef,
            reference: result.isvUUID ?? '',
            rawStatus: latest.rawStatus,
            status: latest.status,
            trackingNumber: result.wayBill ?? null,
            changedAt: parseJdTimestamp(latest.changedAt),
          });
        }
        return states;
      }),

    inventoryPage: (request) =>
      run('inventoryPage', async () => {
        const currentPage = request.cursor === null ? 1 : Number(request.cursor);
        if (!Number.isInteger(currentPage) || currentPage < 1) throw fail('REJECTED', `inventoryPage: bad cursor ${request.cursor}`);
        const business = {
          deptNo,
          warehouseNo: request.warehouseCode,
          // Filters on JD goodsNo: pass provider SKU ids.
          ...(request.skus?.length ? { goodsNo: request.skus.join(',') } : {}),
          currentPage,
          pageSize: request.pageSize,
        };
        const result = await call('inventoryPage', JD_METHODS.queryStock, business, queryStockResultSchema);
        const rows = result.querystock_result;
        return {
          items: rows.map((row) => ({ sku: row.isvGoodsNo ?? row.goodsNo, onHand: row.usableNum, reserved: Math.max(0, row.totalNum - row.usableNum) })),
          // No total count is sourced: a short page is the last one.
          nextCursor: rows.length < request.pageSize ? null : String(currentPage + 1),
        };
      }),

    registerPush: (callbackUrl) =>
      run('registerPush', async () => {
        if (!options.pushRegistrationUrl) {
          throw fail('REJECTED', 'registerPush: JD has no public push-subscription API; subscribe in the JOS console');
        }
        await providerFetch({
          provider: 'JD',
          method: 'registerPush',
          url: options.pushRegistrationUrl,
          timeoutMs,
          init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: options.appKey, deptNo, callbackUrl }) },
        });
      }),
  };
}

function isDuplicate(error: JdErrorResponse): boolean {
  return /duplicate|重复|已存在/i.test(`${error.en_desc ?? ''} ${error.zh_desc ?? ''}`);
}
