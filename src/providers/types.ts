// What the rest of the gateway knows of a warehouse provider. Vendor names, codes and wire
// formats stay inside src/providers/<name>/.
import type { CountryCode, InboundStatus, OutboundStatus, Provider } from '../generated/prisma/enums.ts';

export type ProviderName = Provider;

export interface ProviderCapabilities {
  /** Destination countries the provider ships outbound orders to. */
  countries: readonly CountryCode[] | 'ANY';
  /** The last normalised outbound status from which the provider still accepts a cancel. */
  cancelAllowedUpTo: OutboundStatus;
  /** Whether the provider can push status changes (webhooks) besides being polled. */
  pushStatus: boolean;
}

export type ProviderErrorCode =
  /** Credentials refused: the merchant must fix or rotate them. */
  | 'AUTH'
  /** No answer in time. */
  | 'TIMEOUT'
  /** Network failure or a 5xx: the provider is down or overloaded. */
  | 'UNAVAILABLE'
  /** The provider understood and refused the request (a business error). */
  | 'REJECTED'
  /** The object does not exist at the provider. */
  | 'NOT_FOUND'
  /** The reference was already used (e.g. a list created twice). */
  | 'DUPLICATE'
  /** The answer could not be read (bad JSON/XML, unexpected shape). */
  | 'MALFORMED';

const RETRYABLE: ReadonlySet<ProviderErrorCode> = new Set(['TIMEOUT', 'UNAVAILABLE', 'MALFORMED']);

export class ProviderError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly provider: ProviderName,
    readonly code: ProviderErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'ProviderError';
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
  }
}

/** One provider call, as recorded for operators: never a credential, never a body. */
export interface ProviderCallRecord {
  provider: ProviderName;
  method: string;
  durationMs: number;
  outcome: 'OK' | ProviderErrorCode;
}

export type ProviderCallRecorder = (call: ProviderCallRecord) => void;

export interface ProviderWarehouse {
  code: string;
  name: string;
  country: CountryCode | null;
}

export interface ProviderProduct {
  sku: string;
  name: string;
  barcode?: string | null;
  weightGrams?: number | null;
  lengthMm?: number | null;
  widthMm?: number | null;
  heightMm?: number | null;
  declaredValueCents?: number | null;
  declaredName?: string | null;
}

export interface ListLine {
  /** Our Master SKU code. */
  sku: string;
  /** The provider's product id where it differs from the SKU (JD goodsNo). */
  providerSkuId?: string | null;
  quantity: number;
}

export interface InboundRequest {
  /** Our list code: the provider-side idempotency key. */
  reference: string;
  warehouseCode: string;
  lines: ListLine[];
  trackingNumber?: string | null;
  expectedAt?: Date | null;
}

export interface InboundState {
  providerRef: string;
  reference: string;
  /** The provider's own status value, kept as it came. */
  rawStatus: string;
  status: InboundStatus;
  lines: { sku: string; quantity: number; received: number }[];
}

export interface Recipient {
  name: string;
  phone: string;
  address1: string;
  city?: string | null;
  province?: string | null;
  zipcode: string;
  country: CountryCode;
}

export interface OutboundRequest {
  reference: string;
  warehouseCode: string;
  shippingMethod?: string | null;
  recipient: Recipient;
  trackingNumber: string;
  /** The sales channel, e.g. SHOPEE. */
  platform: string;
  channelOrderNo: string;
  lines: (ListLine & { unitPriceMinor?: number | null })[];
}

export interface OutboundState {
  providerRef: string;
  reference: string;
  rawStatus: string;
  status: OutboundStatus;
  trackingNumber: string | null;
  changedAt: Date | null;
}

export type CancelOutcome = 'CANCELLED' | 'CANCELLING' | 'REFUSED';

export interface InventoryItem {
  sku: string;
  /** Sellable quantity on the shelf: the provider's truth for our onHand. */
  onHand: number;
  reserved: number;
}

export interface InventoryPage {
  items: InventoryItem[];
  /** Pass back to get the next page; null after the last one. */
  nextCursor: string | null;
}

export interface FulfillmentProvider {
  readonly name: ProviderName;
  readonly capabilities: ProviderCapabilities;
  /** Throws ProviderError('AUTH') when the credentials are refused. */
  verifyCredentials(): Promise<void>;
  listWarehouses(): Promise<ProviderWarehouse[]>;
  pushProduct(product: ProviderProduct): Promise<{ providerSkuId: string }>;
  createInbound(request: InboundRequest): Promise<{ providerRef: string }>;
  cancelInbound(providerRef: string): Promise<CancelOutcome>;
  getInbound(providerRefs: string[]): Promise<InboundState[]>;
  createOutbound(request: OutboundRequest): Promise<{ providerRef: string }>;
  cancelOutbound(providerRef: string): Promise<CancelOutcome>;
  getOutbound(providerRefs: string[]): Promise<OutboundState[]>;
  inventoryPage(request: { warehouseCode: string; cursor: string | null; pageSize: number; skus?: string[] }): Promise<InventoryPage>;
  /** Asks the provider to push status changes to `callbackUrl`. */
  registerPush(callbackUrl: string): Promise<void>;
}

/** A provider's push, read: it only says what changed; the object is pulled again to learn how. */
export interface PushMessage {
  /** The provider's message id (dedupe key). */
  messageId: string;
  /** What changed: pull it again. */
  subject: { kind: 'OUTBOUND' | 'INBOUND'; providerRef: string } | { kind: 'STOCK'; sku: string; warehouseCode: string | null };
  /** Raw topic / subscript_type, kept for the inbox row. */
  topic: string;
}

/** A push body read, or why it was refused. */
export type PushParseResult<M extends PushMessage = PushMessage> = { ok: true; message: M } | { ok: false; reason: string };
