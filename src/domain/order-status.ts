// The channel order status machine: statuses only move forward, so a late or replayed
// update from the order service can never undo a newer one.
import type { OrderStatus } from '../generated/prisma/enums.ts';

const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  UNPAID: ['READY_TO_SHIP', 'SHIPPING', 'DELIVERED', 'COMPLETED', 'CANCELLED'],
  READY_TO_SHIP: ['SHIPPING', 'DELIVERED', 'COMPLETED', 'CANCELLED'],
  // Channels cancel parcels that fail delivery, and buyers return delivered ones.
  SHIPPING: ['DELIVERED', 'COMPLETED', 'RETURNED', 'CANCELLED'],
  DELIVERED: ['COMPLETED', 'RETURNED'],
  COMPLETED: [],
  CANCELLED: [],
  RETURNED: [],
};

export function canMoveOrderStatus(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** The parcel has left (or come back to) the seller: a warehouse has nothing left to send. */
export function isShippingOrLater(status: OrderStatus): boolean {
  return status === 'SHIPPING' || status === 'DELIVERED' || status === 'COMPLETED' || status === 'RETURNED';
}
