// Orders: channel orders handed in by the order service, with their warehouse allocation,
// push eligibility, status updates and the merchant's cancel flow.
import { z } from 'zod';
import {
  eligibilityOfStoredReasons,
  PUSH_INELIGIBLE_REASON_MESSAGES,
  PUSH_INELIGIBLE_REASONS,
  type PushEligibility as PushEligibilityValue,
  type PushIneligibleReason as PushIneligibleReasonValue,
} from '../domain/eligibility.ts';
import type { Order as OrderModel } from '../generated/prisma/client.ts';
import {
  acceptOrderCancellation,
  type IngestOrderResult as IngestOrderResultValue,
  ingestOrders,
  MAX_ORDERS_PER_CALL,
  ORDER_ERROR_CODES,
  orderWhere,
  requestOrderCancellation,
  updateOrderStatus,
} from '../services/order.service.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { CancellationStatus, Channel, CountryCode, OrderStatus, ShippingType } from './enums.ts';
import { decodeNodeId } from './global-id.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineSort } from './sorting.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

const PushIneligibleReason = builder.enumType('PushIneligibleReason', {
  description: 'Why an order is not sent to a 3PL warehouse.',
  values: Object.fromEntries(
    PUSH_INELIGIBLE_REASONS.map((reason) => [reason, { description: PUSH_INELIGIBLE_REASON_MESSAGES[reason] }]),
  ) as Record<PushIneligibleReasonValue, { description: string }>,
});

const PushIneligibility = builder.objectRef<PushIneligibleReasonValue>('PushIneligibility').implement({
  fields: (t) => ({
    code: t.field({ type: PushIneligibleReason, resolve: (reason) => reason }),
    message: t.string({ resolve: (reason) => PUSH_INELIGIBLE_REASON_MESSAGES[reason] }),
  }),
});

const PushEligibility = builder.objectRef<PushEligibilityValue>('PushEligibility').implement({
  description: 'Whether the order goes to its 3PL warehouse as an outbound list, as of its last change.',
  fields: (t) => ({
    eligible: t.exposeBoolean('eligible'),
    reasons: t.field({
      type: [PushIneligibility],
      description: 'Every reason it does not, in a fixed order; empty when eligible.',
      resolve: (eligibility) => (eligibility.eligible ? [] : eligibility.reasons),
    }),
  }),
});

// The order service reads back what it ingested; the catalogue behind the items stays closed to it.
const ORDER_READERS = { merchantRead: true, service: true } as const;

export const Order = builder.prismaNode('Order', {
  ...tenantNode,
  authScopes: ORDER_READERS,
  fields: (t) => ({
    channelOrderNo: t.exposeString('channelOrderNo', { description: "The channel's order number; unique per store." }),
    channel: t.expose('channel', { type: Channel }),
    country: t.expose('country', { type: CountryCode }),
    status: t.expose('status', { type: OrderStatus }),
    shippingType: t.expose('shippingType', { type: ShippingType }),
    logisticsProvider: t.exposeString('logisticsProvider', { nullable: true }),
    trackingNumber: t.exposeString('trackingNumber', { nullable: true }),
    cancellationStatus: t.expose('cancellationStatus', { type: CancellationStatus }),
    recipientName: t.exposeString('recipientName', { nullable: true }),
    recipientPhone: t.exposeString('recipientPhone', { nullable: true }),
    address1: t.exposeString('address1', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    province: t.exposeString('province', { nullable: true }),
    zipcode: t.exposeString('zipcode', { nullable: true }),
    channelCreatedAt: t.expose('channelCreatedAt', { type: 'DateTime', nullable: true }),
    store: t.relation('store'),
    items: t.relation('items', { query: { orderBy: { id: 'asc' } } }),
    pushEligibility: t.field({
      type: PushEligibility,
      resolve: (order) => eligibilityOfStoredReasons(order.ineligibleReasons),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('OrderItem', {
  authScopes: ORDER_READERS,
  fields: (t) => ({
    channelSkuCode: t.exposeString('channelSkuCode'),
    quantity: t.exposeInt('quantity'),
    unitPriceMinor: t.exposeInt('unitPriceMinor', { nullable: true, description: "Unit price in the currency's minor unit." }),
    channelSku: t.relation('channelSku', { nullable: true }),
    masterSku: t.relation('masterSku', { nullable: true, description: 'null while the channel SKU is not linked.' }),
    warehouse: t.relation('warehouse', { nullable: true, description: 'Allocated by the store shipping rules; null when none holds the SKU.' }),
  }),
});

const OrderFilter = builder.inputType('OrderFilter', {
  fields: (t) => ({
    status: t.field({ type: OrderStatus }),
    storeId: t.id(),
    eligibilityReason: t.field({ type: PushIneligibleReason, description: 'Orders not eligible for this reason (among others).' }),
    pushEligible: t.boolean(),
    text: t.string({
      description: 'Matches the channel order number or the tracking number (contains, case-insensitive).',
      validate: z.string().max(200, 'must be at most 200 characters'),
    }),
  }),
});

const OrderSort = defineSort('OrderSort', { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', CHANNEL_ORDER_NO: 'channelOrderNo' });

builder.queryFields((t) => ({
  orders: t.prismaConnection({
    type: 'Order',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: {
      filter: t.arg({ type: OrderFilter }),
      sortBy: t.arg({ type: OrderSort.input, description: 'Default: newest first.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.order.findMany({ ...query, where: orderWhere(ctx, filterOf(args.filter)), orderBy: OrderSort.orderBy(args.sortBy) }),
    totalCount: (_root, args, ctx) => ctx.db.prisma.order.count({ where: orderWhere(ctx, filterOf(args.filter)) }),
  }),
}));

function filterOf(filter: typeof OrderFilter.$inferInput | null | undefined) {
  if (!filter) return null;
  return { ...filter, storeId: filter.storeId == null ? null : decodeNodeId(filter.storeId, 'Store') };
}

const OrderUserError = defineUserErrorType('OrderUserError', ORDER_ERROR_CODES, 'A problem with an order input.');

const ChannelOrderItemInput = builder.inputType('ChannelOrderItemInput', {
  fields: (t) => ({
    channelSkuCode: t.string({ required: true, description: "The store's SKU code; unknown codes become unlinked channel SKUs." }),
    quantity: t.int({ required: true }),
    unitPriceMinor: t.int({ description: "Unit price in the currency's minor unit." }),
  }),
});

const ChannelOrderInput = builder.inputType('ChannelOrderInput', {
  fields: (t) => ({
    storeId: t.id({ required: true }),
    channelOrderNo: t.string({ required: true }),
    channel: t.field({ type: Channel, required: true, description: "Must be the store's channel." }),
    country: t.field({ type: CountryCode, required: true, description: 'Where the order ships to.' }),
    status: t.field({ type: OrderStatus, required: true }),
    shippingType: t.field({ type: ShippingType, required: true }),
    logisticsProvider: t.string({ description: 'null keeps the one already known.' }),
    trackingNumber: t.string({ description: 'null keeps the one already known.' }),
    recipientName: t.string(),
    recipientPhone: t.string(),
    address1: t.string(),
    city: t.string(),
    province: t.string(),
    zipcode: t.string(),
    channelCreatedAt: t.field({ type: 'DateTime' }),
    items: t.field({
      type: [ChannelOrderItemInput],
      required: true,
      description: 'Fixed once the order is paid: later lists are ignored (ITEMS_LOCKED) unless the stored order is UNPAID.',
    }),
  }),
});

const IngestOrdersInput = builder.inputType('IngestOrdersInput', {
  fields: (t) => ({
    orders: t.field({ type: [ChannelOrderInput], required: true, description: `1 to ${MAX_ORDERS_PER_CALL} orders.` }),
  }),
});

const IngestOrderOutcome = builder.enumType('IngestOrderOutcome', {
  values: {
    CREATED: { description: 'A new order.' },
    UPDATED: { description: 'A known order that changed.' },
    UNCHANGED: { description: 'A known order that was already up to date.' },
    REJECTED: { description: 'Nothing was written; userErrors with this index say why.' },
  } as const,
});

const IngestOrderResult = builder.objectRef<IngestOrderResultValue>('IngestOrderResult').implement({
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the row in input.orders.' }),
    outcome: t.field({ type: IngestOrderOutcome, resolve: (result) => result.outcome }),
    order: t.field({ type: Order, nullable: true, resolve: (result) => result.order }),
  }),
});

const IngestOrdersPayload = builder
  .objectRef<{ results: IngestOrderResultValue[]; userErrors: UserError[] }>('IngestOrdersPayload')
  .implement({
    description: 'Good rows are written, bad rows rejected: one result per input row, and every problem with its index.',
    fields: (t) => ({
      results: t.field({ type: [IngestOrderResult], resolve: (payload) => payload.results }),
      userErrors: t.field({ type: [OrderUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

const UpdateOrderStatusInput = builder.inputType('UpdateOrderStatusInput', {
  fields: (t) => ({
    status: t.field({ type: OrderStatus, required: true, description: 'Ignored (STATUS_REGRESSION) if it would move the order backwards.' }),
    trackingNumber: t.string({ description: 'null keeps the one already known.' }),
    logisticsProvider: t.string({ description: 'null keeps the one already known.' }),
  }),
});

const OrderPayload = builder.objectRef<{ order: OrderModel | null; userErrors: UserError[] }>('OrderPayload').implement({
  fields: (t) => ({
    order: t.field({ type: Order, nullable: true, resolve: (payload) => payload.order }),
    userErrors: t.field({ type: [OrderUserError], resolve: (payload) => payload.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  ingestOrders: t.field({
    type: IngestOrdersPayload,
    description: 'Channel orders from the order service, idempotent per store and channel order number.',
    authScopes: { service: true },
    args: { input: t.arg({ type: IngestOrdersInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ingestOrders(
        ctx,
        input.orders.map((order) => ({ ...order, storeId: decodeNodeId(order.storeId, 'Store') })),
      ),
  }),
  updateOrderStatus: t.field({
    type: OrderPayload,
    authScopes: { service: true },
    args: {
      id: t.arg.globalID({ required: true, for: Order }),
      input: t.arg({ type: UpdateOrderStatusInput, required: true }),
    },
    resolve: (_root, { id, input }, ctx) => updateOrderStatus(ctx, id.id, input),
  }),
  requestOrderCancellation: t.field({
    type: OrderPayload,
    description: 'Stops the order from being sent to a warehouse until the cancellation is accepted.',
    authScopes: { merchantWrite: true },
    args: { id: t.arg.globalID({ required: true, for: Order }) },
    resolve: async (_root, { id }, ctx) => {
      return payloadOf('order', await requestOrderCancellation(ctx, id.id));
    },
  }),
  acceptOrderCancellation: t.field({
    type: OrderPayload,
    description: 'Cancels the order whose cancellation was requested.',
    authScopes: { merchantWrite: true },
    args: { id: t.arg.globalID({ required: true, for: Order }) },
    resolve: async (_root, { id }, ctx) => {
      return payloadOf('order', await acceptOrderCancellation(ctx, id.id));
    },
  }),
}));
