// Push eligibility: whether an allocated order may go to a 3PL warehouse as an outbound
// list, and if not, every named reason why, in one fixed order.
//
// Only orders allocated to a 3PL warehouse are push candidates. An order whose items all
// landed in the merchant's own warehouses gets the single reason NOT_THIRD_PARTY: the other
// rules are about what a 3PL accepts and say nothing useful about it.
import type {
  CancellationStatus,
  Channel,
  CountryCode,
  IntegrationStatus,
  OrderStatus,
  Provider,
  ShippingType,
  WarehouseKind,
  WarehouseStatus,
} from '../generated/prisma/enums.ts';
import type { Allocation } from './allocation.ts';
import { isShippingOrLater } from './order-status.ts';
import { PROVIDER_CAPABILITIES, type ProviderCapabilities, shipsTo } from './provider-capabilities.ts';

/** In the order they are reported: the order itself, then its items, then the warehouse. */
export const PUSH_INELIGIBLE_REASONS = [
  'NOT_THIRD_PARTY',
  'NOT_PAID',
  'ORDER_CANCELLED',
  'ALREADY_SHIPPING',
  'UNSUPPORTED_CHANNEL',
  'UNSUPPORTED_COUNTRY',
  'NOT_EXPRESS',
  'NO_TRACKING_NUMBER',
  'SKU_NOT_LINKED',
  'SKU_NOT_IN_WAREHOUSE',
  'MIXED_WAREHOUSES',
  'INTEGRATION_INACTIVE',
] as const;
export type PushIneligibleReason = (typeof PUSH_INELIGIBLE_REASONS)[number];

export const PUSH_INELIGIBLE_REASON_MESSAGES: Readonly<Record<PushIneligibleReason, string>> = {
  NOT_THIRD_PARTY: "The order is allocated to your own warehouse; only orders allocated to a 3PL warehouse are sent to one.",
  NOT_PAID: 'The buyer has not paid yet; the order is sent to the warehouse once it is paid.',
  ORDER_CANCELLED: 'The order is cancelled, or a cancellation is pending, so it is not sent to the warehouse.',
  ALREADY_SHIPPING: 'The order is already shipping (or past it), so the warehouse has nothing left to send.',
  UNSUPPORTED_CHANNEL: 'WooCommerce and Shopify orders cannot go to a 3PL warehouse: these channels have no shipping-label API.',
  UNSUPPORTED_COUNTRY:
    "The warehouse's provider does not fulfil orders for this country (ECCANG: Thailand, Indonesia and the Philippines only).",
  NOT_EXPRESS: 'Only orders shipped by express can go to a 3PL warehouse.',
  NO_TRACKING_NUMBER: 'The order has no logistics tracking number yet; it is sent once the channel provides one.',
  SKU_NOT_LINKED: "An item's channel SKU is not linked to a Master SKU. Link it to send the order.",
  SKU_NOT_IN_WAREHOUSE:
    "An item's Master SKU is not placed in any warehouse of this store's shipping rules. Add the product to the warehouse, or the warehouse to the rules.",
  MIXED_WAREHOUSES:
    'Items are allocated to different warehouses and are never packed together. Place all of its SKUs in one warehouse.',
  INTEGRATION_INACTIVE: 'The allocated 3PL warehouse, or its warehouse integration, is not active.',
};

export interface EligibilityOrder {
  channel: Channel;
  country: CountryCode;
  status: OrderStatus;
  cancellationStatus: CancellationStatus;
  shippingType: ShippingType;
  trackingNumber: string | null;
  /** In the same order as the allocation's items. */
  items: readonly { masterSkuId: string | null }[];
}

/** What eligibility needs to know of an allocated warehouse and its integration. */
export interface EligibilityWarehouse {
  kind: WarehouseKind;
  provider: Provider | null;
  status: WarehouseStatus;
  /** null when the warehouse has no integration (own warehouses). */
  integrationStatus: IntegrationStatus | null;
}

export type PushEligibility = { eligible: true } | { eligible: false; reasons: PushIneligibleReason[] };

const CHANNELS_WITHOUT_LABEL_API: readonly Channel[] = ['WOOCOMMERCE', 'SHOPIFY'];

export function checkPushEligibility(
  order: EligibilityOrder,
  allocation: Allocation,
  warehouses: ReadonlyMap<string, EligibilityWarehouse>,
  capabilities: Readonly<Record<Provider, ProviderCapabilities>> = PROVIDER_CAPABILITIES,
): PushEligibility {
  const allocated = allocation.warehouseIds.map((id) => {
    const warehouse = warehouses.get(id);
    if (!warehouse) throw new Error(`Eligibility needs allocated warehouse ${id}`);
    return warehouse;
  });
  const thirdParty = allocated.filter((warehouse) => warehouse.kind === 'THIRD_PARTY');
  if (allocated.length > 0 && thirdParty.length === 0) return fromReasons(new Set(['NOT_THIRD_PARTY']));

  const reasons = new Set<PushIneligibleReason>();
  if (order.status === 'UNPAID') reasons.add('NOT_PAID');
  if (order.status === 'CANCELLED' || order.cancellationStatus === 'REQUESTED' || order.cancellationStatus === 'ACCEPTED') {
    reasons.add('ORDER_CANCELLED');
  }
  if (isShippingOrLater(order.status)) reasons.add('ALREADY_SHIPPING');
  if (CHANNELS_WITHOUT_LABEL_API.includes(order.channel)) reasons.add('UNSUPPORTED_CHANNEL');
  if (thirdParty.some((warehouse) => warehouse.provider !== null && !shipsTo(capabilities[warehouse.provider], order.country))) {
    reasons.add('UNSUPPORTED_COUNTRY');
  }
  if (order.shippingType !== 'EXPRESS') reasons.add('NOT_EXPRESS');
  if (!order.trackingNumber?.trim()) reasons.add('NO_TRACKING_NUMBER');
  order.items.forEach((item, index) => {
    if (item.masterSkuId === null) reasons.add('SKU_NOT_LINKED');
    else if ((allocation.itemWarehouseIds[index] ?? null) === null) reasons.add('SKU_NOT_IN_WAREHOUSE');
  });
  if (allocation.mixedWarehouses) reasons.add('MIXED_WAREHOUSES');
  if (thirdParty.some((warehouse) => warehouse.status !== 'ACTIVE' || warehouse.integrationStatus !== 'ACTIVE')) {
    reasons.add('INTEGRATION_INACTIVE');
  }
  return fromReasons(reasons);
}

function fromReasons(reasons: ReadonlySet<PushIneligibleReason>): PushEligibility {
  if (reasons.size === 0) return { eligible: true };
  return { eligible: false, reasons: PUSH_INELIGIBLE_REASONS.filter((reason) => reasons.has(reason)) };
}

/** Reads the reasons stored on an order back, in the reporting order. */
export function eligibilityOfStoredReasons(stored: readonly string[]): PushEligibility {
  const codes = new Set<string>(stored);
  return fromReasons(new Set(PUSH_INELIGIBLE_REASONS.filter((reason) => codes.has(reason))));
}

export function storedReasonsOf(eligibility: PushEligibility): PushIneligibleReason[] {
  return eligibility.eligible ? [] : eligibility.reasons;
}
