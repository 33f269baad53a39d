// An outbound request the ECCANG tests send, varied by reference and overrides.
import type { OutboundRequest } from '../../../src/providers/types.ts';

export const sampleOrder = (reference: string, overrides: Partial<OutboundRequest> = {}): OutboundRequest => ({
  reference,
  warehouseCode: 'BKK1',
  shippingMethod: 'TH-STD',
  recipient: { name: 'Somchai', phone: '+66812345678', address1: '12 Soi 5', city: 'Bangkok', zipcode: '10500', country: 'TH' },
  trackingNumber: `TRK-${reference}`,
  platform: 'SHOPEE',
  channelOrderNo: `SO-${reference}`,
  lines: [{ sku: 'SKU-1', quantity: 2 }],
  ...overrides,
});
