// Settles the stock of an inbound or outbound list when it reaches a final status: one ledger
// movement per line, through the stock service, inside the caller's transaction.
import { type SettlementReason, settlementDeltas } from '../domain/stock.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import {
  type AppliedMovement,
  applyToLockedRecords,
  levelsOf,
  lockStockRecords,
  type StockMovementInput,
  targetKey,
  withDeltas,
} from './stock.service.ts';

/**
 * Movements that belong to a list carry this reference type and the list's id. The push and
 * lock flows must write INBOUND_PUSHED / OUTBOUND_LOCKED the same way (holding the list's row
 * lock): what a list holds on a record is the sum of its own movements there.
 */
export type ListReferenceType = 'INBOUND_LIST' | 'OUTBOUND_LIST';

export interface SettledList {
  id: string;
  code: string;
  merchantId: string;
  warehouseId: string;
  referenceType: ListReferenceType;
}

export interface SettlementLine {
  masterSkuId: string;
  reason: SettlementReason;
  /** Received or shipped, as the provider reports it. */
  quantity: number;
}

/** Key of a list's settlement movement: a replay of the same settlement finds it and adds nothing. */
export const settlementKey = (list: Pick<SettledList, 'id' | 'referenceType'>, line: Pick<SettlementLine, 'masterSkuId' | 'reason'>) =>
  `${list.referenceType}:${list.id}:${line.reason}:${line.masterSkuId}`;

export async function settleListStock(
  tx: Prisma.TransactionClient,
  list: SettledList,
  lines: SettlementLine[],
  actor: string,
): Promise<AppliedMovement[]> {
  const held = await heldByList(tx, list);
  const target = (line: SettlementLine) => ({ merchantId: list.merchantId, warehouseId: list.warehouseId, masterSkuId: line.masterSkuId });
  const holdsOf = (line: SettlementLine) => {
    const holds = held.get(line.masterSkuId);
    return (line.reason.startsWith('INBOUND_') ? holds?.incoming : holds?.locked) ?? 0;
  };
  const addsOrTakes = (line: SettlementLine) => line.reason === 'INBOUND_RECEIVED' || line.reason === 'OUTBOUND_SHIPPED';
  const moving = lines.filter((line) => holdsOf(line) > 0 || (addsOrTakes(line) && line.quantity > 0));
  if (moving.length === 0) return [];

  const records = await lockStockRecords(tx, moving.map(target));
  const movements: StockMovementInput[] = [];
  for (const line of moving) {
    const record = records.get(targetKey(target(line)))!;
    const { deltas, notDeducted } = settlementDeltas(levelsOf(record), { reason: line.reason, quantity: line.quantity, heldByList: holdsOf(line) });
    movements.push({
      ...target(line),
      reason: line.reason,
      ...deltas,
      referenceType: list.referenceType,
      referenceId: list.id,
      actor,
      idempotencyKey: settlementKey(list, line),
      note: noteOf(list, line, notDeducted),
    });
  }
  return applyToLockedRecords(tx, withDeltas(movements), records);
}

function noteOf(list: SettledList, line: SettlementLine, notDeducted: number): string {
  switch (line.reason) {
    case 'INBOUND_RECEIVED':
      return `${list.code} received ${line.quantity}`;
    case 'INBOUND_CANCELLED':
    case 'OUTBOUND_RELEASED':
      return `${list.code} cancelled`;
    case 'OUTBOUND_SHIPPED':
      return notDeducted === 0
        ? `${list.code} shipped ${line.quantity}`
        : `${list.code} shipped ${line.quantity}; ${notDeducted} not deducted: no more on hand beyond other lists' locks, a stock sync settles it`;
  }
}

/** What the list's own movements add up to on each of its records (what it still holds there). */
async function heldByList(tx: Prisma.TransactionClient, list: SettledList): Promise<Map<string, { incoming: number; locked: number }>> {
  const rows = await tx.$queryRaw<{ masterSkuId: string; incoming: number; locked: number }[]>`
    SELECT r."masterSkuId", SUM(m."incomingDelta")::int AS incoming, SUM(m."lockedDelta")::int AS locked
    FROM "StockMovement" m JOIN "StockRecord" r ON r.id = m."stockRecordId"
    WHERE m."merchantId" = ${list.merchantId} AND m."referenceType" = ${list.referenceType} AND m."referenceId" = ${list.id}
      AND r."warehouseId" = ${list.warehouseId}
    GROUP BY r."masterSkuId"`;
  return new Map(rows.map((row) => [row.masterSkuId, { incoming: row.incoming, locked: row.locked }]));
}
