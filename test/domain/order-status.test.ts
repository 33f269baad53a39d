import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canMoveOrderStatus, isShippingOrLater } from '../../src/domain/order-status.ts';
import { OrderStatus } from '../../src/generated/prisma/enums.ts';

const STATUSES = Object.values(OrderStatus);

describe('order status machine', () => {
  it.each([
    ['UNPAID', 'READY_TO_SHIP', true],
    ['READY_TO_SHIP', 'SHIPPING', true],
    ['UNPAID', 'DELIVERED', true],
    ['SHIPPING', 'CANCELLED', true],
    ['DELIVERED', 'RETURNED', true],
    ['DELIVERED', 'READY_TO_SHIP', false],
    ['SHIPPING', 'UNPAID', false],
    ['CANCELLED', 'READY_TO_SHIP', false],
    ['COMPLETED', 'RETURNED', false],
    ['READY_TO_SHIP', 'READY_TO_SHIP', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveOrderStatus(from, to)).toBe(allowed);
  });

  it('never returns to a status it has left, whatever updates arrive in whatever order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.array(fc.constantFrom(...STATUSES), { maxLength: 30 }), (start, updates) => {
        const visited = [start];
        let current = start;
        for (const update of updates) {
          if (!canMoveOrderStatus(current, update)) continue;
          expect(visited).not.toContain(update);
          visited.push((current = update));
        }
      }),
    );
  });

  it('counts SHIPPING, DELIVERED, COMPLETED and RETURNED as shipping or later', () => {
    expect(STATUSES.filter(isShippingOrLater).sort()).toEqual(['COMPLETED', 'DELIVERED', 'RETURNED', 'SHIPPING']);
  });
});
