// The one way stock changes: each movement is a ledger row written together with the update
// of its record, inside the caller's transaction.
import { uuidv7 } from '../db/uuidv7.ts';
import {
  checkMovement,
  movementShapeError,
  reasonAllowedIn,
  type StockDeltas,
  type StockLevels,
  type StockRuleCode,
} from '../domain/stock.ts';
import { Prisma, type StockMovement, type StockRecord } from '../generated/prisma/client.ts';
import type { StockMovementReason } from '../generated/prisma/enums.ts';

export interface StockMovementInput {
  merchantId: string;
  warehouseId: string;
  masterSkuId: string;
  reason: StockMovementReason;
  onHandDelta?: number;
  lockedDelta?: number;
  incomingDelta?: number;
  referenceType?: string;
  referenceId?: string;
  actor: string;
  idempotencyKey: string;
  note?: string;
}

export type AppliedMovement = { status: 'APPLIED' | 'ALREADY_APPLIED'; movement: StockMovement; record: StockRecord };

/** A movement that would break a stock rule; thrown so the caller's transaction rolls back. */
export class StockRuleError extends Error {
  override readonly name = 'StockRuleError';
  constructor(
    readonly code: StockRuleCode,
    /** The broken rule, without which movement broke it. */
    readonly detail: string,
    /** Position of the offending movement in the batch. */
    readonly movementIndex?: number,
    context?: string,
  ) {
    super(context ? `${context}: ${detail}` : detail);
  }
}

type Target = Pick<StockMovementInput, 'merchantId' | 'warehouseId' | 'masterSkuId'>;

export const targetKey = (target: Target) => `${target.merchantId}\u0000${target.warehouseId}\u0000${target.masterSkuId}`;
const movementKey = (merchantId: string, idempotencyKey: string) => `${merchantId}\u0000${idempotencyKey}`;
export const levelsOf = (record: StockRecord): StockLevels => ({
  onHand: record.onHand,
  locked: record.locked,
  incoming: record.incoming,
  shortage: record.shortage,
});

/**
 * Applies movements in order, inside `tx`. A movement whose idempotency key was already used
 * (before, or earlier in this batch) changes nothing and comes back ALREADY_APPLIED with the
 * first movement. A movement that breaks a rule throws StockRuleError. Records are created when
 * missing and locked in primary-key order, so concurrent batches cannot deadlock each other.
 */
export async function applyStockMovements(tx: Prisma.TransactionClient, movements: StockMovementInput[]): Promise<AppliedMovement[]> {
  if (movements.length === 0) return [];
  const inputs = withDeltas(movements);
  return applyToLockedRecords(tx, inputs, await lockStockRecords(tx, inputs));
}

type CompleteMovementInput = StockMovementInput & StockDeltas;

export function withDeltas(movements: StockMovementInput[]): CompleteMovementInput[] {
  return movements.map((movement, index) => {
    const deltas: StockDeltas = {
      onHandDelta: movement.onHandDelta ?? 0,
      lockedDelta: movement.lockedDelta ?? 0,
      incomingDelta: movement.incomingDelta ?? 0,
    };
    const shapeError = movementShapeError(movement.reason, deltas);
    if (shapeError) throw new StockRuleError('INVALID_MOVEMENT', shapeError, index, `movement ${index}`);
    return { ...movement, ...deltas };
  });
}

/** The rest of applyStockMovements, for a caller that locked the records to read them first. */
export async function applyToLockedRecords(
  tx: Prisma.TransactionClient,
  inputs: CompleteMovementInput[],
  records: Map<string, LockedRecord>,
): Promise<AppliedMovement[]> {
  const prior = await movementsByKey(tx, inputs);

  const levels = new Map<string, StockLevels>();
  const fresh = new Map<string, NewMovement>();
  inputs.forEach((input, index) => {
    const key = movementKey(input.merchantId, input.idempotencyKey);
    if (prior.has(key) || fresh.has(key)) return;
    const { warehouseKind, ...record } = records.get(targetKey(input))!;
    const context = `${input.reason} of Master SKU ${input.masterSkuId} in warehouse ${input.warehouseId}`;
    if (!reasonAllowedIn(warehouseKind, input.reason)) {
      throw new StockRuleError('PROVIDER_MANAGED_STOCK', 'stock of a 3PL warehouse changes only through its provider', index, context);
    }
    const check = checkMovement(levels.get(record.id) ?? levelsOf(record), input.reason, input);
    if (!check.ok) {
      throw new StockRuleError(check.code, check.message, index, context);
    }
    levels.set(record.id, check.after);
    fresh.set(key, {
      merchantId: input.merchantId,
      stockRecordId: record.id,
      reason: input.reason,
      onHandDelta: input.onHandDelta,
      lockedDelta: input.lockedDelta,
      incomingDelta: input.incomingDelta,
      referenceType: input.referenceType ?? null,
      referenceId: input.referenceId ?? null,
      actor: input.actor,
      note: input.note ?? null,
      idempotencyKey: input.idempotencyKey,
    });
  });

  const latest = new Map<string, StockRecord>([...records.values()].map(({ warehouseKind: _, ...record }) => [record.id, record]));
  if (fresh.size > 0) {
    for (const record of await addToRecords(tx, [...fresh.values()])) latest.set(record.id, record);
    const created = await insertMovements(tx, [...fresh.values()]);
    for (const movement of created) prior.set(movementKey(movement.merchantId, movement.idempotencyKey), { movement, status: 'APPLIED' });
  }
  // A reused key may point at a record this batch did not touch.
  const untouched = [...prior.values()].map(({ movement }) => movement.stockRecordId).filter((id) => !latest.has(id));
  if (untouched.length > 0) {
    for (const record of await tx.stockRecord.findMany({ where: { id: { in: untouched } } })) latest.set(record.id, record);
  }

  const reported = new Set<string>();
  return inputs.map((input) => {
    const key = movementKey(input.merchantId, input.idempotencyKey);
    const { movement, status } = prior.get(key)!;
    // The same key twice in one batch: the second occurrence changed nothing.
    const firstTime = status === 'APPLIED' && !reported.has(key);
    reported.add(key);
    return { status: firstTime ? 'APPLIED' : 'ALREADY_APPLIED', movement, record: latest.get(movement.stockRecordId)! };
  });
}

/**
 * Creates the missing records and locks all of them in primary-key order. A target whose
 * warehouse or Master SKU is not the movement's merchant's is refused: no stock crosses tenants.
 */
export type LockedRecord = StockRecord & { warehouseKind: 'OWN' | 'THIRD_PARTY' };

export async function lockStockRecords(tx: Prisma.TransactionClient, targets: Target[]): Promise<Map<string, LockedRecord>> {
  const distinct = [...new Map(targets.map((target) => [targetKey(target), target])).values()];
  const now = new Date().toISOString();
  // Only targets whose warehouse and SKU belong to the merchant are created; others show up
  // as missing below.
  await tx.$executeRaw`
    INSERT INTO "StockRecord" ("id", "merchantId", "warehouseId", "masterSkuId", "createdAt", "updatedAt")
    SELECT v.id, v.merchant_id, v.warehouse_id, v.master_sku_id, ${now}::timestamp(3), ${now}::timestamp(3)
    FROM unnest(${distinct.map(() => uuidv7())}::text[], ${distinct.map((t) => t.merchantId)}::text[],
                ${distinct.map((t) => t.warehouseId)}::text[], ${distinct.map((t) => t.masterSkuId)}::text[])
      AS v(id, merchant_id, warehouse_id, master_sku_id)
    JOIN "Warehouse" w ON w.id = v.warehouse_id AND w."merchantId" = v.merchant_id
    JOIN "MasterSku" k ON k.id = v.master_sku_id AND k."merchantId" = v.merchant_id
    ON CONFLICT ("warehouseId", "masterSkuId") DO NOTHING`;
  const rows = await tx.$queryRaw<LockedRecord[]>`
    SELECT r.*, w.kind::text AS "warehouseKind" FROM "StockRecord" r
    JOIN unnest(${distinct.map((t) => t.merchantId)}::text[], ${distinct.map((t) => t.warehouseId)}::text[],
                ${distinct.map((t) => t.masterSkuId)}::text[]) AS v(merchant_id, warehouse_id, master_sku_id)
      ON r."merchantId" = v.merchant_id AND r."warehouseId" = v.warehouse_id AND r."masterSkuId" = v.master_sku_id
    JOIN "Warehouse" w ON w.id = r."warehouseId" AND w."merchantId" = r."merchantId"
    WHERE EXISTS (SELECT 1 FROM "MasterSku" k WHERE k.id = r."masterSkuId" AND k."merchantId" = r."merchantId")
    ORDER BY r.id
    FOR UPDATE OF r`;
  const byTarget = new Map(rows.map((row) => [targetKey(row), row]));
  const missing = distinct.find((target) => !byTarget.has(targetKey(target)));
  if (missing) {
    throw new StockRuleError(
      'UNKNOWN_STOCK_TARGET',
      `warehouse ${missing.warehouseId} and Master SKU ${missing.masterSkuId} are not both merchant ${missing.merchantId}'s`,
    );
  }
  return byTarget;
}

async function movementsByKey(
  tx: Prisma.TransactionClient,
  inputs: Pick<StockMovementInput, 'merchantId' | 'idempotencyKey'>[],
): Promise<Map<string, { movement: StockMovement; status: AppliedMovement['status'] }>> {
  const rows = await tx.$queryRaw<StockMovement[]>`
    SELECT m.* FROM "StockMovement" m
    JOIN unnest(${inputs.map((input) => input.merchantId)}::text[], ${inputs.map((input) => input.idempotencyKey)}::text[])
      AS v(merchant_id, idempotency_key)
      ON m."merchantId" = v.merchant_id AND m."idempotencyKey" = v.idempotency_key`;
  return new Map(rows.map((movement) => [movementKey(movement.merchantId, movement.idempotencyKey), { movement, status: 'ALREADY_APPLIED' }]));
}

/** One statement for any number of records: the deltas are added in SQL to the locked rows. */
async function addToRecords(tx: Prisma.TransactionClient, movements: NewMovement[]): Promise<StockRecord[]> {
  const totals = new Map<string, { onHand: number; locked: number; incoming: number }>();
  for (const movement of movements) {
    const total = totals.get(movement.stockRecordId) ?? { onHand: 0, locked: 0, incoming: 0 };
    total.onHand += movement.onHandDelta;
    total.locked += movement.lockedDelta;
    total.incoming += movement.incomingDelta;
    totals.set(movement.stockRecordId, total);
  }
  const entries = [...totals.entries()];
  return tx.$queryRaw<StockRecord[]>`
    UPDATE "StockRecord" AS r SET
      "onHand" = r."onHand" + v.on_hand,
      "locked" = r."locked" + v.locked,
      "incoming" = r."incoming" + v.incoming,
      "shortage" = r."locked" + v.locked > r."onHand" + v.on_hand,
      "updatedAt" = ${new Date().toISOString()}::timestamp(3)
    FROM unnest(${entries.map(([id]) => id)}::text[], ${entries.map(([, total]) => total.onHand)}::int[],
                ${entries.map(([, total]) => total.locked)}::int[], ${entries.map(([, total]) => total.incoming)}::int[])
      AS v(id, on_hand, locked, incoming)
    WHERE r.id = v.id
    RETURNING r.*`;
}

type NewMovement = Omit<StockMovement, 'id' | 'createdAt'>;

/** One statement for any number of movements (Prisma's createMany takes seconds for thousands). */
async function insertMovements(tx: Prisma.TransactionClient, movements: NewMovement[]): Promise<StockMovement[]> {
  const column = <K extends keyof NewMovement>(key: K) => movements.map((movement) => movement[key]);
  return tx.$queryRaw<StockMovement[]>`
    INSERT INTO "StockMovement" ("id", "merchantId", "stockRecordId", "reason", "onHandDelta", "lockedDelta", "incomingDelta",
                                 "referenceType", "referenceId", "actor", "note", "idempotencyKey", "createdAt")
    SELECT v.id, v.merchant_id, v.stock_record_id, v.reason::"StockMovementReason", v.on_hand, v.locked, v.incoming,
           v.reference_type, v.reference_id, v.actor, v.note, v.idempotency_key, ${new Date().toISOString()}::timestamp(3)
    FROM unnest(${movements.map(() => uuidv7())}::text[], ${column('merchantId')}::text[], ${column('stockRecordId')}::text[],
                ${column('reason')}::text[], ${column('onHandDelta')}::int[], ${column('lockedDelta')}::int[],
                ${column('incomingDelta')}::int[], ${column('referenceType')}::text[], ${column('referenceId')}::text[],
                ${column('actor')}::text[], ${column('note')}::text[], ${column('idempotencyKey')}::text[])
      AS v(id, merchant_id, stock_record_id, reason, on_hand, locked, incoming, reference_type, reference_id, actor, note, idempotency_key)
    RETURNING *`;
}
