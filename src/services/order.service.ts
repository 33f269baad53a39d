// Channel orders: idempotent ingestion from the order service, forward-only status, the
// merchant's cancel flow, and each order's warehouse allocation and push eligibility.
//
// Re-ingesting an order (same store and channel order number) updates it. While the stored
// order is UNPAID the whole order follows the channel (buyers may still edit it); from
// READY_TO_SHIP on only status, tracking number and logistics provider change, and a
// different item list is ignored and reported (ITEMS_LOCKED). A null tracking number or
// logistics provider leaves the known one. A status that would move backwards is ignored
// and reported (STATUS_REGRESSION); the rest of that row still applies.
//
// A bulk call accepts its good rows and rejects the bad ones: `results` says what happened
// to each row, `userErrors` says why, both with the row's index.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import { canMoveOrderStatus } from '../domain/order-status.ts';
import type { Order, Prisma } from '../generated/prisma/client.ts';
import { Channel, CountryCode, OrderStatus, ShippingType } from '../generated/prisma/enums.ts';
import {
  applyDrafts,
  type DraftFields,
  draftOf,
  type LoadedOrder,
  loadOrderForUpdate,
  loadOrdersForUpdate,
  lockOrderKeys,
  lockStoresForShare,
  type OrderDraft,
  orderKey,
  type OrderWriteOptions,
  type WriteOutcome,
} from './order-writes.ts';
import { fail, parseInput, type ServiceResult, succeed, type UserError } from './user-errors.ts';

export const ORDER_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'CHANNEL_MISMATCH',
  'DUPLICATE',
  'STATUS_REGRESSION',
  'ITEMS_LOCKED',
  'CANCELLATION_NOT_ALLOWED',
] as const;
export type OrderErrorCode = (typeof ORDER_ERROR_CODES)[number];

export const MAX_ORDERS_PER_CALL = 500;
export const MAX_ITEMS_PER_ORDER = 200;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

const itemSchema = z.object({
  channelSkuCode: z.string().trim().min(1, 'must not be blank').max(128, 'must be at most 128 characters'),
  quantity: z.int('must be a whole number').min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
  unitPriceMinor: z
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(2_000_000_000, 'must be at most 2000000000')
    .nullish()
    .transform((value) => value ?? null),
});

const orderSchema = z.object({
  storeId: z.string(),
  channelOrderNo: z.string().trim().min(1, 'must not be blank').max(64, 'must be at most 64 characters'),
  country: z.enum(CountryCode),
  channel: z.enum(Channel),
  status: z.enum(OrderStatus),
  shippingType: z.enum(ShippingType),
  logisticsProvider: optionalText(64),
  trackingNumber: optionalText(64),
  recipientName: optionalText(255),
  recipientPhone: optionalText(32),
  address1: optionalText(500),
  city: optionalText(120),
  province: optionalText(120),
  zipcode: optionalText(16),
  channelCreatedAt: z
    .date()
    .nullish()
    .transform((value) => value ?? null),
  items: z.array(itemSchema).min(1, 'must list at least one item').max(MAX_ITEMS_PER_ORDER, `must list at most ${MAX_ITEMS_PER_ORDER} items`),
});

const statusUpdateSchema = z.object({
  status: z.enum(OrderStatus),
  trackingNumber: optionalText(64),
  logisticsProvider: optionalText(64),
});

export type IngestOrderInput = z.input<typeof orderSchema>;
type ValidOrder = z.output<typeof orderSchema>;
export type UpdateOrderStatusInput = z.input<typeof statusUpdateSchema>;

export type IngestOutcome = WriteOutcome | 'REJECTED';

export interface IngestOrderResult {
  index: number;
  outcome: IngestOutcome;
  order: Order | null;
}

export interface IngestOrdersResult {
  results: IngestOrderResult[];
  userErrors: UserError<OrderErrorCode>[];
}

export async function ingestOrders(
  ctx: RequestContext,
  rows: readonly IngestOrderInput[],
  options: OrderWriteOptions = {},
): Promise<IngestOrdersResult> {
  const merchantId = merchantIdOf(ctx);
  if (rows.length === 0 || rows.length > MAX_ORDERS_PER_CALL) {
    return {
      results: [],
      userErrors: [{ field: ['input', 'orders'], message: `give 1 to ${MAX_ORDERS_PER_CALL} orders`, code: 'INVALID' }],
    };
  }
  const { accepted, userErrors } = await validateRows(ctx, merchantId, rows);
  const results: IngestOrderResult[] = rows.map((_row, index) => ({ index, outcome: 'REJECTED', order: null }));
  if (accepted.length === 0) return { results, userErrors };

  const { written, notices } = await ctx.db.prisma.$transaction(
    async (tx) => {
      await lockOrderKeys(tx, accepted.map(({ order }) => orderKey(order)));
      await lockStoresForShare(tx, accepted.map(({ order }) => order.storeId));
      const existing = await loadOrdersForUpdate(tx, merchantId, accepted.map(({ order }) => order));
      const drafts = accepted.map(({ order, index }) => draftFromIngestion(order, existing.get(orderKey(order)) ?? null, index));
      const written = await applyDrafts(tx, merchantId, drafts.map(({ draft }) => draft), options);
      return { written, notices: drafts.flatMap(({ notices }) => notices) };
    },
    { timeout: 60_000 },
  );

  userErrors.push(...notices);
  const orders = await loadOrders(ctx, merchantId, written.map((entry) => entry.orderId));
  written.forEach((entry, position) => {
    const { index } = accepted[position]!;
    results[index] = { index, outcome: entry.outcome, order: orders.get(entry.orderId) ?? null };
  });
  userErrors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { results, userErrors };
}

/** Status, tracking number and logistics provider of one order, by the order service. */
export async function updateOrderStatus(
  ctx: RequestContext,
  orderId: string,
  input: UpdateOrderStatusInput,
  options: OrderWriteOptions = {},
): Promise<{ order: Order | null; userErrors: UserError<OrderErrorCode>[] }> {
  const parsed = parseInput(statusUpdateSchema, input, ['input'], 'INVALID' as OrderErrorCode);
  if (!parsed.ok) return { order: null, userErrors: parsed.userErrors };
  const update = parsed.value;
  const merchantId = merchantIdOf(ctx);
  const result = await ctx.db.prisma.$transaction(async (tx) => {
    const order = await loadOrderForUpdate(tx, merchantId, orderId);
    if (!order) return null;
    const draft = draftOf(order);
    const notices: UserError<OrderErrorCode>[] = [];
    const status = nextStatus(order.status, update.status);
    if (status === null) notices.push(statusRegression(['input', 'status'], order.status, update.status));
    else draft.fields.status = status;
    draft.fields.trackingNumber = update.trackingNumber ?? order.trackingNumber;
    draft.fields.logisticsProvider = update.logisticsProvider ?? order.logisticsProvider;
    await applyDrafts(tx, merchantId, [draft], options);
    return notices;
  });
  if (result === null) return { order: null, userErrors: [noSuchOrder()] };
  const orders = await loadOrders(ctx, merchantId, [orderId]);
  return { order: orders.get(orderId) ?? null, userErrors: result };
}

/** The merchant asks to cancel: the order stops being sent to a warehouse until it is decided. */
export function requestOrderCancellation(
  ctx: RequestContext,
  orderId: string,
  options: OrderWriteOptions = {},
): Promise<ServiceResult<Order, OrderErrorCode>> {
  return changeCancellation(ctx, orderId, options, (order) => {
    if (order.cancellationStatus === 'REQUESTED') return 'A cancellation is already requested';
    if (order.cancellationStatus === 'ACCEPTED' || order.status === 'CANCELLED') return 'The order is already cancelled';
    if (!canMoveOrderStatus(order.status, 'CANCELLED')) return `A ${describeStatus(order.status)} order cannot be cancelled`;
    return { cancellationStatus: 'REQUESTED' };
  });
}

/** Accepting the cancellation cancels the order; the outbound flow takes it from there. */
export function acceptOrderCancellation(
  ctx: RequestContext,
  orderId: string,
  options: OrderWriteOptions = {},
): Promise<ServiceResult<Order, OrderErrorCode>> {
  return changeCancellation(ctx, orderId, options, (order) => {
    if (order.cancellationStatus !== 'REQUESTED') return 'No cancellation is waiting to be accepted';
    if (!canMoveOrderStatus(order.status, 'CANCELLED')) return `The order is ${describeStatus(order.status)} and can no longer be cancelled`;
    return { cancellationStatus: 'ACCEPTED', status: 'CANCELLED' };
  });
}

export interface OrderFilter {
  status?: OrderStatus | null;
  storeId?: string | null;
  eligibilityReason?: string | null;
  pushEligible?: boolean | null;
  text?: string | null;
}

export function orderWhere(ctx: RequestContext, filter: OrderFilter | null | undefined): Prisma.OrderWhereInput {
  const text = filter?.text?.trim();
  const eligibility: Prisma.OrderWhereInput[] = [];
  if (filter?.eligibilityReason) eligibility.push({ ineligibleReasons: { has: filter.eligibilityReason } });
  if (filter?.pushEligible === true) eligibility.push({ ineligibleReasons: { isEmpty: true } });
  if (filter?.pushEligible === false) eligibility.push({ NOT: { ineligibleReasons: { isEmpty: true } } });
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.storeId != null ? { storeId: filter.storeId } : {}),
    ...(eligibility.length > 0 ? { AND: eligibility } : {}),
    ...(text
      ? {
          OR: [
            { channelOrderNo: { contains: text, mode: 'insensitive' } },
            { trackingNumber: { contains: text, mode: 'insensitive' } },
          ],
        }
      : {}),
  };
}

// ─── Validation ──────────────────────────────────────────────────────────────────

async function validateRows(
  ctx: RequestContext,
  merchantId: string,
  rows: readonly IngestOrderInput[],
): Promise<{ accepted: { index: number; order: ValidOrder }[]; userErrors: UserError<OrderErrorCode>[] }> {
  const userErrors: UserError<OrderErrorCode>[] = [];
  const parsed = rows.map((row, index) => {
    const result = parseInput(orderSchema, row, ['input', 'orders', String(index)], 'INVALID' as OrderErrorCode);
    if (!result.ok) userErrors.push(...result.userErrors.map((error) => ({ ...error, index })));
    return result.ok ? result.value : null;
  });
  const storeIds = [...new Set(parsed.flatMap((order) => (order ? [order.storeId] : [])))];
  const stores = await ctx.db.prisma.store.findMany({ where: { merchantId, id: { in: storeIds } }, select: { id: true, channel: true } });
  const channelOfStore = new Map(stores.map((store) => [store.id, store.channel]));

  const accepted: { index: number; order: ValidOrder }[] = [];
  const seen = new Set<string>();
  parsed.forEach((order, index) => {
    if (!order) return;
    const path = ['input', 'orders', String(index)];
    const rowErrors: UserError<OrderErrorCode>[] = [];
    const storeChannel = channelOfStore.get(order.storeId);
    if (!storeChannel) {
      rowErrors.push({ field: [...path, 'storeId'], message: 'No such store', code: 'NOT_FOUND', index });
    } else if (storeChannel !== order.channel) {
      rowErrors.push({
        field: [...path, 'channel'],
        message: `The store sells on ${storeChannel}, not ${order.channel}`,
        code: 'CHANNEL_MISMATCH',
        index,
      });
    }
    if (seen.has(orderKey(order))) {
      rowErrors.push({ field: [...path, 'channelOrderNo'], message: 'This order appears twice in the call', code: 'DUPLICATE', index });
    }
    seen.add(orderKey(order));
    if (rowErrors.length > 0) userErrors.push(...rowErrors);
    else accepted.push({ index, order });
  });
  return { accepted, userErrors };
}

/** The order a row describes, and what of the row was ignored. */
function draftFromIngestion(
  order: ValidOrder,
  existing: LoadedOrder | null,
  index: number,
): { draft: OrderDraft; notices: UserError<OrderErrorCode>[] } {
  const { items, ...incoming } = order;
  const newItems = items.map((item) => ({ id: null, ...item }));
  if (!existing) {
    return { draft: { existing: null, fields: { ...incoming, cancellationStatus: 'NONE' }, items: newItems, replaceItems: true }, notices: [] };
  }
  const draft = draftOf(existing);
  const notices: UserError<OrderErrorCode>[] = [];
  const path = ['input', 'orders', String(index)];
  const sameItems = itemsSignature(existing.items) === itemsSignature(items);
  if (existing.status === 'UNPAID') {
    const { storeId: _storeId, channelOrderNo: _channelOrderNo, channel: _channel, ...editable } = incoming;
    Object.assign(draft.fields, editable);
    if (!sameItems) Object.assign(draft, { items: newItems, replaceItems: true });
  } else if (!sameItems) {
    notices.push({
      field: [...path, 'items'],
      message: 'Items are fixed once an order is paid; the new item list was ignored',
      code: 'ITEMS_LOCKED',
      index,
    });
  }
  const status = nextStatus(existing.status, order.status);
  draft.fields.status = status ?? existing.status;
  if (status === null) notices.push({ ...statusRegression([...path, 'status'], existing.status, order.status), index });
  draft.fields.trackingNumber = order.trackingNumber ?? existing.trackingNumber;
  draft.fields.logisticsProvider = order.logisticsProvider ?? existing.logisticsProvider;
  return { draft, notices };
}

/** The status after an update to `to`, or null when that would move backwards. */
function nextStatus(from: OrderStatus, to: OrderStatus): OrderStatus | null {
  if (from === to) return from;
  return canMoveOrderStatus(from, to) ? to : null;
}

function itemsSignature(items: readonly { channelSkuCode: string; quantity: number; unitPriceMinor: number | null }[]): string {
  return JSON.stringify(items.map((item) => [item.channelSkuCode, item.quantity, item.unitPriceMinor]).sort());
}

const describeStatus = (status: OrderStatus) => status.toLowerCase().replaceAll('_', ' ');

const statusRegression = (field: string[], from: OrderStatus, to: OrderStatus): UserError<OrderErrorCode> => ({
  field,
  message: `The order is ${describeStatus(from)}; a status never moves back, so ${to} was ignored`,
  code: 'STATUS_REGRESSION',
});

const noSuchOrder = (): UserError<OrderErrorCode> => ({ field: ['id'], message: 'No such order', code: 'NOT_FOUND' });

async function loadOrders(ctx: RequestContext, merchantId: string, ids: string[]): Promise<Map<string, Order>> {
  const orders = await ctx.db.prisma.order.findMany({ where: { merchantId, id: { in: ids } } });
  return new Map(orders.map((order) => [order.id, order]));
}

async function changeCancellation(
  ctx: RequestContext,
  orderId: string,
  options: OrderWriteOptions,
  decide: (order: LoadedOrder) => string | Partial<Pick<DraftFields, 'cancellationStatus' | 'status'>>,
): Promise<ServiceResult<Order, OrderErrorCode>> {
  const merchantId = merchantIdOf(ctx);
  const refusal = await ctx.db.prisma.$transaction(async (tx) => {
    const order = await loadOrderForUpdate(tx, merchantId, orderId);
    if (!order) return noSuchOrder();
    const decision = decide(order);
    if (typeof decision === 'string') {
      return { field: ['id'], message: decision, code: 'CANCELLATION_NOT_ALLOWED' } satisfies UserError<OrderErrorCode>;
    }
    const draft = draftOf(order);
    Object.assign(draft.fields, decision);
    await applyDrafts(tx, merchantId, [draft], options);
    return null;
  });
  if (refusal) return fail(refusal);
  const orders = await loadOrders(ctx, merchantId, [orderId]);
  return succeed(orders.get(orderId)!);
}
