import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMovement, type SettlementReason, settlementDeltas, type StockLevels } from '../../src/domain/stock.ts';

const levels = (onHand: number, locked: number, incoming = 0): StockLevels => ({ onHand, locked, incoming, shortage: locked > onHand });

describe('settling a list on a stock record', () => {
  const quantity = fc.integer({ min: 0, max: 40 });
  const anyLevels = fc.tuple(quantity, quantity, quantity).map(([onHand, locked, incoming]) => levels(onHand, locked, incoming));
  const reason = fc.constantFrom<SettlementReason>('INBOUND_RECEIVED', 'INBOUND_CANCELLED', 'OUTBOUND_SHIPPED', 'OUTBOUND_RELEASED');

  it('always yields a movement the stock rules accept, releasing no more than the list holds', () => {
    fc.assert(
      fc.property(anyLevels, reason, quantity, quantity, (before, settlementReason, amount, heldByList) => {
        const { deltas, notDeducted } = settlementDeltas(before, { reason: settlementReason, quantity: amount, heldByList });

        expect(checkMovement(before, settlementReason, deltas)).toMatchObject({ ok: true });
        expect(-deltas.incomingDelta - deltas.lockedDelta).toBeLessThanOrEqual(heldByList);
        if (settlementReason === 'OUTBOUND_SHIPPED') expect(-deltas.onHandDelta + notDeducted).toBe(amount);
        else expect(notDeducted).toBe(0);
      }),
    );
  });

  it('deducts a shipment the list had locked in full whenever the shelf holds it', () => {
    fc.assert(
      fc.property(anyLevels, quantity, (before, shipped) => {
        fc.pre(shipped <= before.locked && shipped <= before.onHand);

        const { deltas, notDeducted } = settlementDeltas(before, { reason: 'OUTBOUND_SHIPPED', quantity: shipped, heldByList: shipped });

        expect(deltas).toEqual({ onHandDelta: 0 - shipped, lockedDelta: 0 - shipped, incomingDelta: 0 });
        expect(notDeducted).toBe(0);
      }),
    );
  });

  it('on a record in shortage, ships what is on hand, releases the whole lock and notes the rest', () => {
    const inShortage = levels(4, 8);

    const { deltas, notDeducted } = settlementDeltas(inShortage, { reason: 'OUTBOUND_SHIPPED', quantity: 8, heldByList: 8 });

    expect(deltas).toEqual({ onHandDelta: -4, lockedDelta: -8, incomingDelta: 0 });
    expect(notDeducted).toBe(4);
    expect(checkMovement(inShortage, 'OUTBOUND_SHIPPED', deltas)).toEqual({ ok: true, after: levels(0, 0) });
  });

  it("never ships into other lists' locks: what they reserve stays until a sync says otherwise", () => {
    const { deltas, notDeducted } = settlementDeltas(levels(10, 8), { reason: 'OUTBOUND_SHIPPED', quantity: 5, heldByList: 0 });

    expect(deltas).toEqual({ onHandDelta: -2, lockedDelta: 0, incomingDelta: 0 });
    expect(notDeducted).toBe(3);
  });

  it.each([
    ['a receipt adds what was received and releases what the list brought in', 'INBOUND_RECEIVED', levels(0, 0, 10), 8, 10, [8, 0, -10]],
    ['a receipt of a list never counted as incoming releases nothing', 'INBOUND_RECEIVED', levels(3, 0, 5), 8, 0, [8, 0, 0]],
    ['a cancelled inbound releases its incoming', 'INBOUND_CANCELLED', levels(0, 0, 10), 0, 6, [0, 0, -6]],
    ['a released outbound frees its lock', 'OUTBOUND_RELEASED', levels(10, 6), 0, 6, [0, -6, 0]],
    ['a release never takes more than is locked', 'OUTBOUND_RELEASED', levels(10, 2), 0, 6, [0, -2, 0]],
    ['an unlocked shipment comes off the shelf', 'OUTBOUND_SHIPPED', levels(10, 0), 3, 0, [-3, 0, 0]],
    ['a shipment never takes on hand below zero', 'OUTBOUND_SHIPPED', levels(2, 0), 3, 0, [-2, 0, 0]],
  ] as const)('%s', (_name, settlementReason, before, amount, heldByList, [onHandDelta, lockedDelta, incomingDelta]) => {
    const { deltas } = settlementDeltas(before, { reason: settlementReason, quantity: amount, heldByList });

    expect(deltas).toEqual({ onHandDelta, lockedDelta, incomingDelta });
  });
});
