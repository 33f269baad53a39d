import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableOf,
  checkMovement,
  EMPTY_LEVELS,
  importDelta,
  movementShapeError,
  reasonAllowedIn,
  type StockDeltas,
  type StockLevels,
  sumMovements,
} from '../../src/domain/stock.ts';
import type { StockMovementReason } from '../../src/generated/prisma/enums.ts';

type Operation = { reason: StockMovementReason } & StockDeltas;

const quantity = fc.integer({ min: 0, max: 30 });
const movement = (reason: StockMovementReason, deltas: Partial<StockDeltas>): Operation => ({
  reason,
  onHandDelta: 0,
  lockedDelta: 0,
  incomingDelta: 0,
  ...deltas,
});

/** What the flows do to a record: adjust, import, lock/release/ship, sync, inbound. */
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.integer({ min: -30, max: 30 }).map((delta) => movement('MANUAL_ADJUSTMENT', { onHandDelta: delta })),
  fc.integer({ min: -30, max: 30 }).map((delta) => movement('IMPORT', { onHandDelta: delta })),
  quantity.map((q) => movement('OUTBOUND_LOCKED', { lockedDelta: q })),
  quantity.map((q) => movement('OUTBOUND_RELEASED', { lockedDelta: -q })),
  quantity.map((q) => movement('OUTBOUND_SHIPPED', { onHandDelta: -q, lockedDelta: -q })),
  fc.integer({ min: -30, max: 30 }).map((delta) => movement('SYNC_ADJUSTMENT', { onHandDelta: delta })),
  quantity.map((q) => movement('INBOUND_PUSHED', { incomingDelta: q })),
  fc.tuple(quantity, quantity).map(([received, expected]) => movement('INBOUND_RECEIVED', { onHandDelta: received, incomingDelta: -expected })),
  quantity.map((q) => movement('INBOUND_CANCELLED', { incomingDelta: -q })),
);

describe('stock rules', () => {
  it('keep every record equal to the sum of its ledger, never negative, and locked ≤ on hand unless flagged shortage', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let levels = EMPTY_LEVELS;
        const ledger: Operation[] = [];
        for (const op of operations) {
          const check = checkMovement(levels, op.reason, op);
          if (check.ok) {
            levels = check.after;
            ledger.push(op);
          }
          expect(sumMovements(ledger)).toEqual({ onHand: levels.onHand, locked: levels.locked, incoming: levels.incoming });
          expect(Math.min(levels.onHand, levels.locked, levels.incoming)).toBeGreaterThanOrEqual(0);
          expect(levels.shortage).toBe(levels.locked > levels.onHand);
          expect(levels.locked <= levels.onHand || levels.shortage).toBe(true);
        }
      }),
    );
  });

  it('let only a sync open a shortage; other movements may not widen it', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let levels = EMPTY_LEVELS;
        for (const op of operations) {
          const check = checkMovement(levels, op.reason, op);
          if (!check.ok) continue;
          const gapBefore = Math.max(0, levels.locked - levels.onHand);
          const gapAfter = Math.max(0, check.after.locked - check.after.onHand);
          if (op.reason !== 'SYNC_ADJUSTMENT') expect(gapAfter).toBeLessThanOrEqual(gapBefore);
          levels = check.after;
        }
      }),
    );
  });

  it('refuse exactly the movements that would break a rule, not more', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        let levels = EMPTY_LEVELS;
        for (const op of operations) {
          const naive = {
            onHand: levels.onHand + op.onHandDelta,
            locked: levels.locked + op.lockedDelta,
            incoming: levels.incoming + op.incomingDelta,
          };
          const gap = (l: { onHand: number; locked: number }) => Math.max(0, l.locked - l.onHand);
          const breaks =
            Math.min(naive.onHand, naive.locked, naive.incoming) < 0 || (op.reason !== 'SYNC_ADJUSTMENT' && gap(naive) > gap(levels));

          const check = checkMovement(levels, op.reason, op);

          expect(check.ok).toBe(!breaks);
          if (check.ok) levels = check.after;
        }
      }),
    );
  });

  it('refuse locking more than is available, and manual or import changes below what is locked', () => {
    const stocked: StockLevels = { onHand: 10, locked: 4, incoming: 0, shortage: false };

    expect(checkMovement(stocked, 'OUTBOUND_LOCKED', movement('OUTBOUND_LOCKED', { lockedDelta: 7 }))).toEqual({
      ok: false,
      code: 'INSUFFICIENT_STOCK',
      message: 'cannot lock 7: only 6 available',
    });
    expect(checkMovement(stocked, 'IMPORT', movement('IMPORT', { onHandDelta: -7 }))).toMatchObject({ ok: false, code: 'INSUFFICIENT_STOCK' });
    expect(checkMovement(stocked, 'MANUAL_ADJUSTMENT', movement('MANUAL_ADJUSTMENT', { onHandDelta: -11 }))).toMatchObject({
      ok: false,
      code: 'NEGATIVE_ON_HAND',
    });
    expect(checkMovement(stocked, 'OUTBOUND_RELEASED', movement('OUTBOUND_RELEASED', { lockedDelta: -5 }))).toMatchObject({
      ok: false,
      code: 'NEGATIVE_LOCKED',
    });
    expect(checkMovement(stocked, 'INBOUND_CANCELLED', movement('INBOUND_CANCELLED', { incomingDelta: -1 }))).toMatchObject({
      ok: false,
      code: 'NEGATIVE_INCOMING',
    });
  });

  it('flag a shortage when a sync finds fewer than locked, and clear it when stock covers the locks again', () => {
    const stocked: StockLevels = { onHand: 10, locked: 8, incoming: 0, shortage: false };

    const synced = checkMovement(stocked, 'SYNC_ADJUSTMENT', movement('SYNC_ADJUSTMENT', { onHandDelta: -5 }));
    expect(synced).toEqual({ ok: true, after: { onHand: 5, locked: 8, incoming: 0, shortage: true } });
    const after = (synced as { after: StockLevels }).after;
    expect(availableOf(after)).toBe(-3);
    // Shipping what is on the shelf keeps the gap as it is; adding stock closes it.
    expect(checkMovement(after, 'OUTBOUND_SHIPPED', movement('OUTBOUND_SHIPPED', { onHandDelta: -2, lockedDelta: -2 }))).toMatchObject({
      ok: true,
      after: { onHand: 3, locked: 6, shortage: true },
    });
    expect(checkMovement(after, 'MANUAL_ADJUSTMENT', movement('MANUAL_ADJUSTMENT', { onHandDelta: -1 }))).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_STOCK',
    });
    expect(checkMovement(after, 'MANUAL_ADJUSTMENT', movement('MANUAL_ADJUSTMENT', { onHandDelta: 3 }))).toMatchObject({
      ok: true,
      after: { onHand: 8, locked: 8, shortage: false },
    });
  });

  it.each([
    ['OUTBOUND_LOCKED', { onHandDelta: 1 }, 'OUTBOUND_LOCKED must not change onHand'],
    ['OUTBOUND_LOCKED', { lockedDelta: -1 }, 'OUTBOUND_LOCKED must not decrease locked'],
    ['OUTBOUND_RELEASED', { lockedDelta: 1 }, 'OUTBOUND_RELEASED must not increase locked'],
    ['OUTBOUND_SHIPPED', { onHandDelta: 1 }, 'OUTBOUND_SHIPPED must not increase onHand'],
    ['INBOUND_PUSHED', { incomingDelta: -1 }, 'INBOUND_PUSHED must not decrease incoming'],
    ['INBOUND_RECEIVED', { onHandDelta: -1 }, 'INBOUND_RECEIVED must not decrease onHand'],
    ['INBOUND_RECEIVED', { lockedDelta: 1 }, 'INBOUND_RECEIVED must not change locked'],
    ['SYNC_ADJUSTMENT', { incomingDelta: 1 }, 'SYNC_ADJUSTMENT must not change incoming'],
    ['MANUAL_ADJUSTMENT', { lockedDelta: 1 }, 'MANUAL_ADJUSTMENT must not change locked'],
    ['IMPORT', { onHandDelta: 1.5 }, 'onHand delta must be a whole number within ±2147483647'],
  ] as const)('refuse %s with %o as a caller bug', (reason, deltas, message) => {
    const op = movement(reason, deltas);

    expect(movementShapeError(reason, op)).toBe(message);
    expect(checkMovement(EMPTY_LEVELS, reason, op)).toEqual({ ok: false, code: 'INVALID_MOVEMENT', message });
  });

  it('leave 3PL stock to the provider: no manual adjustment or import there', () => {
    const reasons = ['INBOUND_RECEIVED', 'OUTBOUND_SHIPPED', 'SYNC_ADJUSTMENT', 'MANUAL_ADJUSTMENT', 'IMPORT'] as const;

    expect(reasons.filter((reason) => reasonAllowedIn('THIRD_PARTY', reason))).toEqual(['INBOUND_RECEIVED', 'OUTBOUND_SHIPPED', 'SYNC_ADJUSTMENT']);
    expect(reasons.every((reason) => reasonAllowedIn('OWN', reason))).toBe(true);
  });

  it('read an import row: SET names the new count, DELTA the change', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.integer({ min: -1000, max: 1000 }), (current, target, change) => {
        expect(current + importDelta('SET', current, target)).toBe(target);
        expect(importDelta('DELTA', current, change)).toBe(change);
      }),
    );
  });
});
