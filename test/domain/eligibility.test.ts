import { describe, expect, it } from 'vitest';
import type { Allocation } from '../../src/domain/allocation.ts';
import {
  checkPushEligibility,
  type EligibilityOrder,
  type EligibilityWarehouse,
  eligibilityOfStoredReasons,
  PUSH_INELIGIBLE_REASON_MESSAGES,
  PUSH_INELIGIBLE_REASONS,
  type PushIneligibleReason,
} from '../../src/domain/eligibility.ts';
import { PROVIDER_CAPABILITIES } from '../../src/domain/provider-capabilities.ts';

const WAREHOUSES = new Map<string, EligibilityWarehouse>([
  ['eccang', { kind: 'THIRD_PARTY', provider: 'ECCANG', status: 'ACTIVE', integrationStatus: 'ACTIVE' }],
  ['jd', { kind: 'THIRD_PARTY', provider: 'JD', status: 'ACTIVE', integrationStatus: 'ACTIVE' }],
  ['eccang-disabled-integration', { kind: 'THIRD_PARTY', provider: 'ECCANG', status: 'ACTIVE', integrationStatus: 'DISABLED' }],
  ['eccang-vanished', { kind: 'THIRD_PARTY', provider: 'ECCANG', status: 'VANISHED', integrationStatus: 'ACTIVE' }],
  ['eccang-unbound', { kind: 'THIRD_PARTY', provider: 'ECCANG', status: 'ACTIVE', integrationStatus: null }],
  ['own', { kind: 'OWN', provider: null, status: 'ACTIVE', integrationStatus: null }],
  ['own-2', { kind: 'OWN', provider: null, status: 'ACTIVE', integrationStatus: null }],
]);

interface Case {
  order?: Partial<EligibilityOrder>;
  /** Per item: its Master SKU (null = unlinked) and allocated warehouse (null = none). */
  items?: [masterSkuId: string | null, warehouseId: string | null][];
}

/** An ECCANG-eligible order (Shopee, Thailand, express, tracked, one placed item), changed by `change`. */
function check(change: Case) {
  const items = change.items ?? [['mug', 'eccang']];
  const itemWarehouseIds = items.map(([, warehouseId]) => warehouseId);
  const used = new Set(itemWarehouseIds.filter((id) => id !== null));
  const allocation: Allocation = {
    itemWarehouseIds,
    warehouseIds: [...used],
    mixedWarehouses: used.size > 1,
  };
  const order: EligibilityOrder = {
    channel: 'SHOPEE',
    country: 'TH',
    status: 'READY_TO_SHIP',
    cancellationStatus: 'NONE',
    shippingType: 'EXPRESS',
    trackingNumber: 'SPXTH0001',
    items: items.map(([masterSkuId]) => ({ masterSkuId })),
    ...change.order,
  };
  return checkPushEligibility(order, allocation, WAREHOUSES, PROVIDER_CAPABILITIES);
}

describe('push eligibility', () => {
  it('accepts an express, tracked Shopee order for Thailand whose SKUs sit in one active ECCANG warehouse', () => {
    expect(check({})).toEqual({ eligible: true });
  });

  it.each<[string, Case]>([
    ['to Indonesia', { order: { country: 'ID' } }],
    ['to the Philippines', { order: { country: 'PH' } }],
    ['to Malaysia through JD, which lists no country limit', { order: { country: 'MY' }, items: [['mug', 'jd']] }],
    ['from Lazada', { order: { channel: 'LAZADA' } }],
    ['with several items in the same warehouse', { items: [['mug', 'eccang'], ['plate', 'eccang']] }],
  ])('accepts an order %s', (_name, change) => {
    expect(check(change)).toEqual({ eligible: true });
  });

  it.each<[string, Case, PushIneligibleReason[]]>([
    ['allocated to an own warehouse', { items: [['mug', 'own']] }, ['NOT_THIRD_PARTY']],
    ['not paid yet', { order: { status: 'UNPAID' } }, ['NOT_PAID']],
    ['cancelled by the channel', { order: { status: 'CANCELLED' } }, ['ORDER_CANCELLED']],
    ['with a cancellation requested', { order: { cancellationStatus: 'REQUESTED' } }, ['ORDER_CANCELLED']],
    ['in SHIPPING status', { order: { status: 'SHIPPING' } }, ['ALREADY_SHIPPING']],
    ['delivered', { order: { status: 'DELIVERED' } }, ['ALREADY_SHIPPING']],
    ['completed', { order: { status: 'COMPLETED' } }, ['ALREADY_SHIPPING']],
    ['returned', { order: { status: 'RETURNED' } }, ['ALREADY_SHIPPING']],
    ['from WooCommerce', { order: { channel: 'WOOCOMMERCE' } }, ['UNSUPPORTED_CHANNEL']],
    ['from Shopify', { order: { channel: 'SHOPIFY' } }, ['UNSUPPORTED_CHANNEL']],
    ['to Malaysia through ECCANG', { order: { country: 'MY' } }, ['UNSUPPORTED_COUNTRY']],
    ['to Vietnam through ECCANG', { order: { country: 'VN' } }, ['UNSUPPORTED_COUNTRY']],
    ['shipped by standard delivery', { order: { shippingType: 'STANDARD' } }, ['NOT_EXPRESS']],
    ['for self pickup', { order: { shippingType: 'SELF_PICKUP' } }, ['NOT_EXPRESS']],
    ['without a tracking number', { order: { trackingNumber: null } }, ['NO_TRACKING_NUMBER']],
    ['with a blank tracking number', { order: { trackingNumber: '  ' } }, ['NO_TRACKING_NUMBER']],
    ['with an unlinked item', { items: [['mug', 'eccang'], [null, null]] }, ['SKU_NOT_LINKED']],
    ['with an item placed in no rule warehouse', { items: [['mug', 'eccang'], ['plate', null]] }, ['SKU_NOT_IN_WAREHOUSE']],
    ['with items in two 3PL warehouses', { items: [['mug', 'eccang'], ['plate', 'jd']] }, ['MIXED_WAREHOUSES']],
    ['whose integration is disabled', { items: [['mug', 'eccang-disabled-integration']] }, ['INTEGRATION_INACTIVE']],
    ['whose warehouse vanished at the provider', { items: [['mug', 'eccang-vanished']] }, ['INTEGRATION_INACTIVE']],
    ['whose 3PL warehouse has no integration', { items: [['mug', 'eccang-unbound']] }, ['INTEGRATION_INACTIVE']],
  ])('refuses an order %s', (_name, change, reasons) => {
    expect(check(change)).toEqual({ eligible: false, reasons });
  });

  it.each<[string, Case, PushIneligibleReason[]]>([
    [
      'every reason at once, in the fixed order',
      {
        order: {
          status: 'SHIPPING',
          cancellationStatus: 'REQUESTED',
          channel: 'SHOPIFY',
          country: 'SG',
          shippingType: 'ECONOMY',
          trackingNumber: null,
        },
        items: [[null, null], ['plate', null], ['mug', 'eccang-disabled-integration'], ['cup', 'jd']],
      },
      [
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
      ],
    ],
    ['an unpaid order without tracking number', { order: { status: 'UNPAID', trackingNumber: null } }, ['NOT_PAID', 'NO_TRACKING_NUMBER']],
    [
      'a Shopify standard order',
      { order: { channel: 'SHOPIFY', shippingType: 'STANDARD', trackingNumber: null } },
      ['UNSUPPORTED_CHANNEL', 'NOT_EXPRESS', 'NO_TRACKING_NUMBER'],
    ],
    [
      'nothing allocated: the item rules still apply, the provider ones cannot',
      { order: { country: 'MY' }, items: [[null, null], ['plate', null]] },
      ['SKU_NOT_LINKED', 'SKU_NOT_IN_WAREHOUSE'],
    ],
    [
      'an own and a 3PL warehouse mixed: judged on the 3PL one',
      { order: { country: 'MY' }, items: [['mug', 'own'], ['plate', 'eccang']] },
      ['UNSUPPORTED_COUNTRY', 'MIXED_WAREHOUSES'],
    ],
    [
      'two own warehouses: still just not a 3PL order',
      { order: { channel: 'SHOPIFY' }, items: [['mug', 'own'], ['plate', 'own-2'], [null, null]] },
      ['NOT_THIRD_PARTY'],
    ],
    [
      'a country one provider ships to and the other does not',
      { order: { country: 'VN' }, items: [['mug', 'jd'], ['plate', 'eccang']] },
      ['UNSUPPORTED_COUNTRY', 'MIXED_WAREHOUSES'],
    ],
  ])('reports %s', (_name, change, reasons) => {
    expect(check(change)).toEqual({ eligible: false, reasons });
  });

  it('gives every reason a merchant-readable sentence', () => {
    for (const reason of PUSH_INELIGIBLE_REASONS) {
      const message = PUSH_INELIGIBLE_REASON_MESSAGES[reason];
      expect(message).toMatch(/^[A-Z].{20,}\.$/);
      expect(message).not.toContain('_');
    }
  });

  it('reads stored reasons back in the reporting order', () => {
    expect(eligibilityOfStoredReasons([])).toEqual({ eligible: true });
    expect(eligibilityOfStoredReasons(['NO_TRACKING_NUMBER', 'NOT_EXPRESS'])).toEqual({
      eligible: false,
      reasons: ['NOT_EXPRESS', 'NO_TRACKING_NUMBER'],
    });
  });

  it('treats an allocated warehouse it was not told about as a bug', () => {
    expect(() =>
      checkPushEligibility(
        { channel: 'SHOPEE', country: 'TH', status: 'READY_TO_SHIP', cancellationStatus: 'NONE', shippingType: 'EXPRESS', trackingNumber: 'x', items: [{ masterSkuId: 'mug' }] },
        { itemWarehouseIds: ['ghost'], warehouseIds: ['ghost'], mixedWarehouses: false },
        WAREHOUSES,
      ),
    ).toThrow(/ghost/);
  });
});
