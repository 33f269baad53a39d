// Stock arithmetic and the rules every movement keeps: pure functions, no database.
import type { StockMovementReason } from '../generated/prisma/enums.ts';

export interface StockLevels {
  onHand: number;
  locked: number;
  incoming: number;
  /** A sync found fewer on hand than locked; true exactly while locked > onHand. */
  shortage: boolean;
}

export interface StockDeltas {
  onHandDelta: number;
  lockedDelta: number;
  incomingDelta: number;
}

export const STOCK_RULE_CODES = [
  'INVALID_MOVEMENT',
  'OUT_OF_RANGE',
  'NEGATIVE_ON_HAND',
  'NEGATIVE_LOCKED',
  'NEGATIVE_INCOMING',
  'INSUFFICIENT_STOCK',
  'PROVIDER_MANAGED_STOCK',
  'UNKNOWN_STOCK_TARGET',
] as const;
export type StockRuleCode = (typeof STOCK_RULE_CODES)[number];

export type MovementCheck = { ok: true; after: StockLevels } | { ok: false; code: StockRuleCode; message: string };

/** The columns are 4-byte integers. */
export const MAX_STOCK_QUANTITY = 2_147_483_647;

export const EMPTY_LEVELS: StockLevels = Object.freeze({ onHand: 0, locked: 0, incoming: 0, shortage: false });

export const availableOf = (levels: Pick<StockLevels, 'onHand' | 'locked'>): number => levels.onHand - levels.locked;

type Direction = 'none' | 'up' | 'down' | 'any';

/**
 * Which way each reason may move each quantity. A movement outside its shape is a caller bug
 * (say, a "lock" that changes on hand), so it is refused rather than silently applied.
 */
const SHAPES: Record<StockMovementReason, { onHand: Direction; locked: Direction; incoming: Direction }> = {
  INBOUND_PUSHED: { onHand: 'none', locked: 'none', incoming: 'up' },
  INBOUND_CANCELLED: { onHand: 'none', locked: 'none', incoming: 'down' },
  INBOUND_RECEIVED: { onHand: 'up', locked: 'none', incoming: 'down' },
  OUTBOUND_LOCKED: { onHand: 'none', locked: 'up', incoming: 'none' },
  OUTBOUND_RELEASED: { onHand: 'none', locked: 'down', incoming: 'none' },
  OUTBOUND_SHIPPED: { onHand: 'down', locked: 'down', incoming: 'none' },
  SYNC_ADJUSTMENT: { onHand: 'any', locked: 'none', incoming: 'none' },
  MANUAL_ADJUSTMENT: { onHand: 'any', locked: 'none', incoming: 'none' },
  IMPORT: { onHand: 'any', locked: 'none', incoming: 'none' },
};

const FITS: Record<Direction, (delta: number) => boolean> = {
  none: (delta) => delta === 0,
  up: (delta) => delta >= 0,
  down: (delta) => delta <= 0,
  any: () => true,
};

const DIRECTION_WORDS: Record<Direction, string> = { none: 'not change', up: 'not decrease', down: 'not increase', any: '' };

/** Whether the deltas fit the reason; null when they do, else why not. */
export function movementShapeError(reason: StockMovementReason, deltas: StockDeltas): string | null {
  const shape = SHAPES[reason];
  const fields = [
    ['onHand', deltas.onHandDelta, shape.onHand],
    ['locked', deltas.lockedDelta, shape.locked],
    ['incoming', deltas.incomingDelta, shape.incoming],
  ] as const;
  for (const [name, delta, direction] of fields) {
    if (!Number.isSafeInteger(delta) || Math.abs(delta) > MAX_STOCK_QUANTITY) {
      return `${name} delta must be a whole number within ±${MAX_STOCK_QUANTITY}`;
    }
    if (!FITS[direction](delta)) return `${reason} must ${DIRECTION_WORDS[direction]} ${name}`;
  }
  return null;
}

/**
 * The levels after a movement, or the rule it breaks. Quantities never go negative. Locked may
 * exceed on hand only after a SYNC_ADJUSTMENT reports fewer goods than are locked (the
 * provider is the truth for its shelves); the record is then flagged `shortage`, and until it
 * is resolved no other movement may widen the gap.
 */
export function checkMovement(before: StockLevels, reason: StockMovementReason, deltas: StockDeltas): MovementCheck {
  const shapeError = movementShapeError(reason, deltas);
  if (shapeError) return { ok: false, code: 'INVALID_MOVEMENT', message: shapeError };

  const onHand = before.onHand + deltas.onHandDelta;
  const locked = before.locked + deltas.lockedDelta;
  const incoming = before.incoming + deltas.incomingDelta;
  if (Math.max(onHand, locked, incoming) > MAX_STOCK_QUANTITY) {
    return { ok: false, code: 'OUT_OF_RANGE', message: `a quantity would exceed ${MAX_STOCK_QUANTITY}` };
  }
  if (onHand < 0) {
    return { ok: false, code: 'NEGATIVE_ON_HAND', message: `on hand would become ${onHand}; only ${before.onHand} on hand` };
  }
  if (locked < 0) return { ok: false, code: 'NEGATIVE_LOCKED', message: `locked would become ${locked}; only ${before.locked} locked` };
  if (incoming < 0) {
    return { ok: false, code: 'NEGATIVE_INCOMING', message: `incoming would become ${incoming}; only ${before.incoming} incoming` };
  }
  const gapBefore = Math.max(0, before.locked - before.onHand);
  const gapAfter = locked - onHand;
  if (gapAfter > gapBefore && reason !== 'SYNC_ADJUSTMENT') {
    return {
      ok: false,
      code: 'INSUFFICIENT_STOCK',
      message:
        deltas.lockedDelta > 0
          ? `cannot lock ${deltas.lockedDelta}: only ${availableOf(before)} available`
          : `on hand would become ${onHand}, below the ${locked} locked by outbound lists`,
    };
  }
  return { ok: true, after: { onHand, locked, incoming, shortage: locked > onHand } };
}

/**
 * Whether a reason may change stock in a warehouse of this kind: a 3PL's shelves are the
 * provider's to report (inbound receipts, shipments, syncs), never the merchant's to edit.
 */
export function reasonAllowedIn(kind: 'OWN' | 'THIRD_PARTY', reason: StockMovementReason): boolean {
  return kind === 'OWN' || (reason !== 'MANUAL_ADJUSTMENT' && reason !== 'IMPORT');
}

export type ImportMode = 'SET' | 'DELTA';

/** The on-hand change an import row asks for: SET names the new count, DELTA the change. */
export function importDelta(mode: ImportMode, currentOnHand: number, quantity: number): number {
  return mode === 'SET' ? quantity - currentOnHand : quantity;
}

/** What a record's ledger adds up to; a record must always equal the sum of its movements. */
export function sumMovements(movements: Iterable<StockDeltas>): { onHand: number; locked: number; incoming: number } {
  const total = { onHand: 0, locked: 0, incoming: 0 };
  for (const movement of movements) {
    total.onHand += movement.onHandDelta;
    total.locked += movement.lockedDelta;
    total.incoming += movement.incomingDelta;
  }
  return total;
}

/** What a list's final provider status does to one of its stock records. */
export type SettlementReason = 'INBOUND_RECEIVED' | 'INBOUND_CANCELLED' | 'OUTBOUND_SHIPPED' | 'OUTBOUND_RELEASED';

export interface Settlement {
  reason: SettlementReason;
  /** Received (inbound) or shipped (outbound) by the provider's report; ignored by the others. */
  quantity: number;
  /** What the list itself still holds on the record: incoming (inbound) or locked (outbound). */
  heldByList: number;
}

/**
 * The deltas that settle a list on a record, always within the rules of {@link checkMovement}:
 * the list releases what it holds (never more than the record has), and a receipt adds what the
 * provider received. A shipment takes the shipped quantity off the shelf, but never below zero
 * and never into what other lists have locked: the provider is the truth for its shelves, and
 * only a stock sync, which reads them, may open a shortage. `notDeducted` is what the provider
 * shipped beyond that; the next sync settles it.
 */
export function settlementDeltas(levels: StockLevels, settlement: Settlement): { deltas: StockDeltas; notDeducted: number } {
  // `0 - x`, not `-x`: a -0 delta would not equal 0.
  const released = (held: number) => 0 - Math.min(Math.max(0, settlement.heldByList), held);
  const inbound = settlement.reason === 'INBOUND_RECEIVED' || settlement.reason === 'INBOUND_CANCELLED';
  const incomingDelta = inbound ? released(levels.incoming) : 0;
  const lockedDelta = inbound ? 0 : released(levels.locked);
  const quantity = Math.max(0, settlement.quantity);
  if (settlement.reason === 'INBOUND_RECEIVED') return { deltas: { onHandDelta: quantity, lockedDelta, incomingDelta }, notDeducted: 0 };
  if (settlement.reason !== 'OUTBOUND_SHIPPED') return { deltas: { onHandDelta: 0, lockedDelta, incomingDelta }, notDeducted: 0 };
  // The gap of locked over on hand may stay as it is, not widen (checkMovement).
  const gap = Math.max(0, levels.locked - levels.onHand);
  const deductible = Math.max(0, Math.min(levels.onHand, gap - (levels.locked + lockedDelta) + levels.onHand));
  const deducted = Math.min(quantity, deductible);
  return { deltas: { onHandDelta: 0 - deducted, lockedDelta, incomingDelta }, notDeducted: quantity - deducted };
}
