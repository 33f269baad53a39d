// ECCANG WMS client: every call is one SOAP `callService` POST (PROVIDERS.md "ECCANG WMS").
import type { z } from 'zod';
import type { InboundStatus } from '../../generated/prisma/enums.ts';
import { providerFetch, recordedCall } from '../http.ts';
import {
  ProviderError,
  type CancelOutcome,
  type FulfillmentProvider,
  type InboundRequest,
  type InboundState,
  type InventoryPage,
  type OutboundRequest,
  type OutboundState,
  type ProviderCallRecorder,
  type ProviderCapabilities,
  type ProviderProduct,
  type ProviderWarehouse,
} from '../types.ts';
import {
  DEFAULT_ERROR_PATTERNS,
  DEFAULT_RECEIVING_STATUS,
  centsToUsd,
  formatEccangDate,
  gramsToKg,
  mapCancelStatus,
  mapOrderStatus,
  mapReceivingStatus,
  mmToCm,
  parseEccangDate,
  type ErrorPatterns,
} from './mapper.ts';
import { SERVICE_PATH, SOAP_CONTENT_TYPE, SoapFault, buildCallServiceEnvelope, jsonForXml, parseCallServiceResponse } from './soap.ts';
import {
  asnRow,
  callServiceAnswer,
  inventoryRow,
  listOf,
  orderRow,
  singleOrder,
  warehouseRow,
  type CallServiceAnswer,
  type CreateAsnParams,
  type CreateOrderParams,
  type CreateProductParams,
} from './wire.ts';

export interface EccangProviderOptions {
  /** The 3PL's own host, e.g. https://wms.example.com (no trailing path). */
  baseUrl: string;
  appToken: string;
  appKey: string;
  /** Per call; default 15 s. */
  timeoutMs?: number;
  record?: ProviderCallRecorder;
  /** receiving_status → InboundStatus; default DEFAULT_RECEIVING_STATUS. */
  receivingStatusTable?: Readonly<Record<string, InboundStatus>>;
  /** Used when an outbound request names no shipping method (createOrder requires one). */
  defaultShippingMethod?: string;
  /** How auth / duplicate / not-found errors are recognised in errMessage/errCode. */
  errorPatterns?: Partial<ErrorPatterns>;
  language?: string;
}

export const ECCANG_CAPABILITIES: ProviderCapabilities = {
  countries: ['TH', 'ID', 'PH'],
  cancelAllowedUpTo: 'ACCEPTED',
  pushStatus: true,
};

/** getAsnList allows at most 20 per page; getOrderList at most 100. */
export const ASN_PAGE_SIZE = 20;
export const ORDER_PAGE_SIZE = 100;
const WAREHOUSE_PAGE_SIZE = 100;
const MAX_PAGES = 1000;

export const SUBSCRIPT_TYPES = ['order', 'receiving', 'stock'] as const;

/** A Failure answer, with the wording the client classifies on. */
class EccangFailure extends ProviderError {
  constructor(code: ConstructorParameters<typeof ProviderError>[1], message: string, readonly errCode: string | null) {
    super('ECCANG', code, message);
  }
}

export function createEccangProvider(options: EccangProviderOptions): FulfillmentProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${SERVICE_PATH}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const receivingTable = options.receivingStatusTable ?? DEFAULT_RECEIVING_STATUS;
  const patterns: ErrorPatterns = { ...DEFAULT_ERROR_PATTERNS, ...options.errorPatterns };
  const language = options.language ?? 'en_US';

  /** One HTTP round trip: the envelope out, the JSON answer back; Failure → ProviderError. */
  async function call(service: string, params: Record<string, unknown>): Promise<CallServiceAnswer> {
    const body = buildCallServiceEnvelope({
      paramsJson: jsonForXml(params),
      appToken: options.appToken,
      appKey: options.appKey,
      service,
      language,
    });
    const text = await providerFetch({
      provider: 'ECCANG',
      method: service,
      url,
      init: { method: 'POST', headers: { 'content-type': SOAP_CONTENT_TYPE, accept: 'text/xml' }, body },
      timeoutMs,
    });
    let json: unknown;
    try {
      json = JSON.parse(parseCallServiceResponse(text));
    } catch (error) {
      if (error instanceof SoapFault) {
        const code = patterns.auth.test(error.faultstring) ? 'AUTH' : 'UNAVAILABLE';
        throw new ProviderError('ECCANG', code, `${service}: ${error.message}`, { cause: error });
      }
      throw new ProviderError('ECCANG', 'MALFORMED', `${service}: unreadable answer: ${(error as Error).message}`, { cause: error });
    }
    const answer = parse(service, callServiceAnswer, json);
    if (answer.ask === 'Success') return answer;
    if (answer.ask !== 'Failure') throw new ProviderError('ECCANG', 'MALFORMED', `${service}: unexpected ask ${JSON.stringify(answer.ask)}`);
    throw failure(service, answer);
  }

  function failure(service: string, answer: CallServiceAnswer): EccangFailure {
    const err = answer.Error && !Array.isArray(answer.Error) ? answer.Error : null;
    const errCode = err?.errCode ?? null;
    const wording = [...new Set([err?.errMessage, errCode, answer.message].filter(Boolean))].join(' / ') || 'no message';
    const code = patterns.auth.test(wording) ? 'AUTH' : patterns.notFound.test(wording) ? 'NOT_FOUND' : patterns.duplicate.test(wording) ? 'DUPLICATE' : 'REJECTED';
    return new EccangFailure(code, `${service}: ${wording}`, errCode);
  }

  const op = <T>(method: string, work: () => Promise<T>) => recordedCall({ provider: 'ECCANG', method, record: options.record }, work);

  /** Every page of a paged list service. */
  async function allPages<T>(service: string, params: Record<string, unknown>, pageSize: number, row: z.ZodType<T>): Promise<T[]> {
    const rows: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await call(service, { ...params, page, pageSize });
      const data = parse(service, listOf(row), answer.data);
      rows.push(...data);
      if (!hasNextPage(answer, page, pageSize, data.length)) return rows;
    }
    throw new ProviderError('ECCANG', 'MALFORMED', `${service}: more than ${MAX_PAGES} pages`);
  }

  async function findOrderByReference(reference: string): Promise<string | null> {
    try {
      const answer = await call('getOrderByRefCode', { reference_no: reference });
      const order = parse('getOrderByRefCode', singleOrder, answer.data);
      return order && (order.reference_no == null || order.reference_no === reference) ? order.order_code : null;
    } catch (error) {
      if (error instanceof ProviderError && (error.code === 'NOT_FOUND' || error.code === 'REJECTED')) return null;
      throw error;
    }
  }

  async function findAsnByReference(reference: string): Promise<string | null> {
    const rows = await allPages('getAsnList', { reference_no_arr: [reference] }, ASN_PAGE_SIZE, asnRow);
    return rows.find((row) => row.reference_no === reference)?.receiving_code ?? null;
  }

  /** A create refused: if the reference is already there, that is our earlier create. */
  async function recoverDuplicate(error: unknown, find: () => Promise<string | null>): Promise<string> {
    if (!(error instanceof EccangFailure) || error.code === 'AUTH') throw error;
    const existing = await find();
    if (existing) return existing;
    throw error;
  }

  async function cancel(service: string, params: Record<string, unknown>): Promise<CancelOutcome> {
    let answer: CallServiceAnswer;
    try {
      answer = await call(service, params);
    } catch (error) {
      if (error instanceof EccangFailure && error.code === 'REJECTED') return 'REFUSED';
      throw error;
    }
    return answer.cancel_status == null ? 'CANCELLED' : mapCancelStatus(answer.cancel_status);
  }

  return {
    name: 'ECCANG',
    capabilities: ECCANG_CAPABILITIES,

    verifyCredentials: () =>
      op('verifyCredentials', async () => {
        await call('getWarehouse', { page: 1, pageSize: 1 });
      }),

    listWarehouses: () =>
      op('listWarehouses', async () => {
        const rows = await allPages('getWarehouse', {}, WAREHOUSE_PAGE_SIZE, warehouseRow);
        return rows.map((row): ProviderWarehouse => ({
          code: row.warehouse_code,
          name: row.warehouse_name || row.warehouse_code,
          country: toCountry(row.country_code),
        }));
      }),

    pushProduct: (product: ProviderProduct) =>
      op('pushProduct', async () => {
        const params: CreateProductParams = {
          product_sku: product.sku,
          product_title: product.name,
          product_weight: gramsToKg(required(product.weightGrams, 'weightGrams', product.sku)),
          product_length: mmToCm(required(product.lengthMm, 'lengthMm', product.sku)),
          product_width: mmToCm(required(product.widthMm, 'widthMm', product.sku)),
          product_height: mmToCm(required(product.heightMm, 'heightMm', product.sku)),
          product_declared_value: centsToUsd(required(product.declaredValueCents, 'declaredValueCents', product.sku)),
          product_declared_name: product.declaredName || product.name,
          verify: 1,
        };
        try {
          await call('createProduct', { ...params });
        } catch (error) {
          // A product pushed before (a retry after a lost answer) is already there: fine.
          if (!(error instanceof EccangFailure) || error.code !== 'DUPLICATE') throw error;
        }
        return { providerSkuId: product.sku };
      }),

    createInbound: (request: InboundRequest) =>
      op('createInbound', async () => {
        const params: CreateAsnParams = {
          reference_no: request.reference,
          warehouse_code: request.warehouseCode,
          income_type: 0,
          ...(request.trackingNumber ? { tracking_number: request.trackingNumber } : {}),
          ...(request.expectedAt ? { eta_date: formatEccangDate(request.expectedAt) } : {}),
          verify: 1,
          items: request.lines.map((line) => ({ product_sku: line.providerSkuId || line.sku, quantity: line.quantity, box_no: 1 })),
        };
        try {
          const answer = await call('createAsn', { ...params });
          return { providerRef: codeFrom('createAsn', answer, 'receiving_code') };
        } catch (error) {
          return { providerRef: await recoverDuplicate(error, () => findAsnByReference(request.reference)) };
        }
      }),

    cancelInbound: (providerRef: string) => op('cancelInbound', () => cancel('cancelAsn', { receiving_code: providerRef })),

    getInbound: (providerRefs: string[]) =>
      op('getInbound', async () => {
        const states: InboundState[] = [];
        for (const refs of chunks(unique(providerRefs), ASN_PAGE_SIZE)) {
          const rows = await allPages('getAsnList', { receiving_code_arr: refs }, ASN_PAGE_SIZE, asnRow);
          for (const row of rows) {
            if (!refs.includes(row.receiving_code)) continue;
            states.push({
              providerRef: row.receiving_code,
              reference: row.reference_no ?? '',
              rawStatus: row.receiving_status,
              status: mapReceivingStatus(row.receiving_status, receivingTable),
              lines: (row.items ?? []).map((item) => ({
                sku: item.product_sku,
                quantity: item.quantity,
                received: item.received_quantity ?? item.putaway_quantity ?? 0,
              })),
            });
          }
        }
        return states;
      }),

    createOutbound: (request: OutboundRequest) =>
      op('createOutbound', async () => {
        const shippingMethod = request.shippingMethod || options.defaultShippingMethod;
        if (!shippingMethod) throw new ProviderError('ECCANG', 'REJECTED', `createOrder ${request.reference}: no shipping method`);
        const r = request.recipient;
        const params: CreateOrderParams = {
          reference_no: request.reference,
          shipping_method: shippingMethod,
          warehouse_code: request.warehouseCode,
          country_code: r.country,
          ...(r.province ? { province: r.province } : {}),
          ...(r.city ? { city: r.city } : {}),
          address1: r.address1,
          zipcode: r.zipcode,
          name: r.name,
          phone: r.phone,
          platform: request.platform,
          tracking_no: request.trackingNumber,
          verify: 1,
          items: request.lines.map((line) => ({ product_sku: line.providerSkuId || line.sku, quantity: line.quantity })),
        };
        try {
          const answer = await call('createOrder', { ...params });
          return { providerRef: codeFrom('createOrder', answer, 'order_code') };
        } catch (error) {
          return { providerRef: await recoverDuplicate(error, () => findOrderByReference(request.reference)) };
        }
      }),

    cancelOutbound: (providerRef: string) => op('cancelOutbound', () => cancel('cancelOrder', { order_code: providerRef })),

    getOutbound: (providerRefs: string[]) =>
      op('getOutbound', async () => {
        const states: OutboundState[] = [];
        for (const refs of chunks(unique(providerRefs), ORDER_PAGE_SIZE)) {
          const rows = await allPages('getOrderList', { order_code_arr: refs }, ORDER_PAGE_SIZE, orderRow);
          for (const row of rows) {
            if (!refs.includes(row.order_code)) continue;
            states.push({
              providerRef: row.order_code,
              reference: row.reference_no ?? '',
              rawStatus: row.order_status,
              status: mapOrderStatus(row.order_status),
              trackingNumber: row.tracking_no || null,
              changedAt: parseEccangDate(row.date_modify),
            });
          }
        }
        return states;
      }),

    inventoryPage: (request) =>
      op('inventoryPage', async (): Promise<InventoryPage> => {
        const page = request.cursor === null ? 1 : Number(request.cursor);
        if (!Number.isInteger(page) || page < 1) throw new ProviderError('ECCANG', 'REJECTED', `inventoryPage: bad cursor ${JSON.stringify(request.cursor)}`);
        const answer = await call('getProductInventory', {
          page,
          pageSize: request.pageSize,
          warehouse_code: request.warehouseCode,
          ...(request.skus?.length ? { product_sku_arr: request.skus } : {}),
        });
        const rows = parse('getProductInventory', listOf(inventoryRow), answer.data);
        return {
          items: rows
            .filter((row) => !row.warehouse_code || row.warehouse_code === request.warehouseCode)
            .map((row) => ({ sku: row.product_sku, onHand: row.sellable, reserved: row.reserved ?? 0 })),
          nextCursor: hasNextPage(answer, page, request.pageSize, rows.length) ? String(page + 1) : null,
        };
      }),

    registerPush: (callbackUrl: string) =>
      op('registerPush', async () => {
        for (const subscriptType of SUBSCRIPT_TYPES) {
          await call('messageSubscript', { subscript_type: subscriptType, callback: callbackUrl });
        }
      }),
  };
}

export type BaseUrlCheck = { ok: true; baseUrl: string } | { ok: false; reason: string };

/**
 * Checks a merchant-supplied ECCANG base URL (PROVIDERS.md "Transport": token and key travel in
 * the body, so production needs https; the URL must not reach internal addresses). Outside
 * production plain http (simulators, local peers) is allowed. `allowedHosts` entries match a
 * host exactly, or as a suffix when they start with "." (".example.com"). Without an allow-list,
 * production still refuses localhost and private/loopback/link-local IP literals; a host name
 * that resolves to an internal address is only stopped by the allow-list.
 */
export function checkEccangBaseUrl(raw: string, policy: { production: boolean; allowedHosts?: readonly string[] }): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must be http(s)' };
  if (policy.production && url.protocol !== 'https:') return { ok: false, reason: 'must be https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  if (url.search || url.hash) return { ok: false, reason: 'must not have a query or fragment' };
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = policy.allowedHosts?.filter(Boolean) ?? [];
  if (allowed.length > 0 && !allowed.some((entry) => (entry.startsWith('.') ? host.endsWith(entry.toLowerCase()) : host === entry.toLowerCase()))) {
    return { ok: false, reason: `host ${host} is not allowed` };
  }
  if (policy.production && isInternalHost(host)) return { ok: false, reason: `host ${host} is internal` };
  return { ok: true, baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function isInternalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host.includes(':')) return host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:');
  return false;
}

/** `nextPage` when sent; otherwise `count`; otherwise "a full page means maybe more". */
function hasNextPage(answer: CallServiceAnswer, page: number, pageSize: number, rows: number): boolean {
  if (rows === 0) return false;
  if (answer.nextPage != null) return answer.nextPage;
  if (answer.count != null) return page * pageSize < answer.count;
  return rows >= pageSize;
}

function parse<T>(service: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ProviderError('ECCANG', 'MALFORMED', `${service}: unexpected answer shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  return result.data;
}

function codeFrom(service: string, answer: CallServiceAnswer, field: 'order_code' | 'receiving_code'): string {
  const data = answer.data as Record<string, unknown> | null | undefined;
  const nested = data && typeof data === 'object' && !Array.isArray(data) ? data[field] : undefined;
  const code = answer[field] ?? (typeof nested === 'string' || typeof nested === 'number' ? String(nested) : null);
  if (!code) throw new ProviderError('ECCANG', 'MALFORMED', `${service}: no ${field} in the answer`);
  return code;
}

function required(value: number | null | undefined, field: string, sku: string): number {
  if (value == null) throw new ProviderError('ECCANG', 'REJECTED', `createProduct ${sku}: ${field} is required by ECCANG`);
  return value;
}

const COUNTRIES = new Set(['ID', 'TH', 'PH', 'MY', 'VN', 'SG']);
function toCountry(code: string | null | undefined): ProviderWarehouse['country'] {
  const upper = code?.trim().toUpperCase();
  return upper && COUNTRIES.has(upper) ? (upper as ProviderWarehouse['country']) : null;
}

const unique = (values: string[]) => [...new Set(values)];
function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
