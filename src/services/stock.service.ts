// The one way stock changes: each movement is a ledger row written together with the update
// of its record, inside the caller's transaction; plus manual adjustment and bulk import.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import { uuidv7 } from '../db/uuidv7.ts';
import {
  checkMovement,
  type ImportMode,
  importDelta,
  MAX_STOCK_QUANTITY,
  movementShapeError,
  reasonAllowedIn,
  type StockDeltas,
  type StockLevels,
  type StockRuleCode,
} from '../domain/stock.ts';
import { Prisma, type StockMovement, type StockRecord } from '../generated/prisma/client.ts';
import type { StockMovementReason } from '../generated/prisma/enums.ts';
import { fail, parseInput, type ServiceResult, succeed, type UserError } from './user-errors.ts';

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

const targetKey = (target: Target) => `${target.merchantId}\u0000${target.warehouseId}\u0000${target.masterSkuId}`;
const movementKey = (merchantId: string, idempotencyKey: string) => `${merchantId}\u0000${idempotencyKey}`;
const levelsOf = (record: StockRecord): StockLevels => ({
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

function withDeltas(movements: StockMovementInput[]): CompleteMovementInput[] {
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
async function applyToLockedRecords(
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
type LockedRecord = StockRecord & { warehouseKind: 'OWN' | 'THIRD_PARTY' };

async function lockStockRecords(tx: Prisma.TransactionClient, targets: Target[]): Promise<Map<string, LockedRecord>> {
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

// ─── Manual adjustment and import (own warehouses) ──────────────────────────────

export const STOCK_USER_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'THIRD_PARTY_WAREHOUSE',
  'WAREHOUSE_INACTIVE',
  'SKU_NOT_IN_WAREHOUSE',
  'INSUFFICIENT_STOCK',
  'DUPLICATE_ROW',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
export type StockUserErrorCode = (typeof STOCK_USER_ERROR_CODES)[number];
type StockUserError = UserError<StockUserErrorCode>;

export const MAX_IMPORT_ROWS = 10_000;

const idempotencyKey = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(200, 'must be at most 200 characters')
  .nullish();
const quantityLimit = `must be within ±${MAX_STOCK_QUANTITY}`;

const adjustSchema = z.object({
  warehouseId: z.string(),
  masterSkuId: z.string(),
  delta: z
    .int('must be a whole number')
    .min(-MAX_STOCK_QUANTITY, quantityLimit)
    .max(MAX_STOCK_QUANTITY, quantityLimit)
    .refine((delta) => delta !== 0, 'must not be zero'),
  note: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
  idempotencyKey,
});

export type AdjustStockInput = z.input<typeof adjustSchema>;
export interface AdjustStockResult {
  stockRecord: StockRecord;
  movement: StockMovement;
  /** A retry with the same idempotency key: nothing changed, the first result is returned. */
  alreadyApplied: boolean;
}

const THIRD_PARTY_MESSAGE =
  'Stock in a 3PL warehouse changes only through its provider: increases are sent as inbound lists, ' +
  "and the provider's counts arrive by stock sync";

/** A manual correction of on-hand stock in one of the merchant's own warehouses. */
export async function adjustStock(
  ctx: RequestContext,
  input: AdjustStockInput,
): Promise<ServiceResult<AdjustStockResult, StockUserErrorCode>> {
  const parsed = parseInput(adjustSchema, input, ['input'], 'INVALID' as StockUserErrorCode);
  if (!parsed.ok) return parsed;
  const { warehouseId, masterSkuId, delta, note } = parsed.value;
  const merchantId = merchantIdOf(ctx);
  const key = `adjust:${parsed.value.idempotencyKey ?? randomUUID()}`;
  const sameRequest = (movement: StockMovement, record: StockRecord) =>
    record.warehouseId === warehouseId && record.masterSkuId === masterSkuId && movement.onHandDelta === delta;
  try {
    return await ctx.db.prisma.$transaction(async (tx) => {
      // A retry answers as the first call did, even if the warehouse has changed since.
      const earlier = await tx.stockMovement.findUnique({
        where: { merchantId_idempotencyKey: { merchantId, idempotencyKey: key } },
        include: { stockRecord: true },
      });
      if (earlier) {
        const { stockRecord, ...movement } = earlier;
        return sameRequest(movement, stockRecord) ? succeed({ stockRecord, movement, alreadyApplied: true }) : keyReused();
      }
      const errors = await adjustmentTargetErrors(tx, merchantId, warehouseId, masterSkuId);
      if (errors.length > 0) return fail(...errors);
      const [applied] = await applyStockMovements(tx, [
        {
          merchantId,
          warehouseId,
          masterSkuId,
          reason: 'MANUAL_ADJUSTMENT',
          onHandDelta: delta,
          actor: actorOf(ctx),
          idempotencyKey: key,
          ...(note ? { note } : {}),
        },
      ]);
      const { movement, record, status } = applied!;
      if (status === 'ALREADY_APPLIED' && !sameRequest(movement, record)) return keyReused();
      return succeed({ stockRecord: record, movement, alreadyApplied: status === 'ALREADY_APPLIED' });
    });
  } catch (error) {
    const code = error instanceof StockRuleError ? userErrorCodeOf(error.code) : null;
    if (code) return fail({ field: ['input', 'delta'], message: (error as StockRuleError).detail, code });
    throw error;
  }
}

async function adjustmentTargetErrors(
  tx: Prisma.TransactionClient,
  merchantId: string,
  warehouseId: string,
  masterSkuId: string,
): Promise<StockUserError[]> {
  const warehouse = await tx.warehouse.findFirst({ where: { id: warehouseId, merchantId }, select: { kind: true, status: true } });
  const masterSku = await tx.masterSku.findFirst({
    where: { id: masterSkuId, merchantId },
    select: { warehouseProducts: { where: { warehouseId }, select: { id: true } } },
  });
  const errors: StockUserError[] = [];
  if (!warehouse) errors.push({ field: ['input', 'warehouseId'], message: 'No such warehouse', code: 'NOT_FOUND' });
  else errors.push(...warehouseErrors(warehouse));
  if (!masterSku) errors.push({ field: ['input', 'masterSkuId'], message: 'No such Master SKU', code: 'NOT_FOUND' });
  if (warehouse && masterSku && masterSku.warehouseProducts.length === 0) {
    errors.push({
      field: ['input', 'masterSkuId'],
      message: 'The Master SKU is not placed in this warehouse; add it to the warehouse first',
      code: 'SKU_NOT_IN_WAREHOUSE',
    });
  }
  return errors;
}

function warehouseErrors(warehouse: { kind: string; status: string }): StockUserError[] {
  if (warehouse.kind === 'THIRD_PARTY') {
    return [{ field: ['input', 'warehouseId'], message: THIRD_PARTY_MESSAGE, code: 'THIRD_PARTY_WAREHOUSE' }];
  }
  if (warehouse.status !== 'ACTIVE') {
    return [{ field: ['input', 'warehouseId'], message: `The warehouse is ${warehouse.status.toLowerCase()}`, code: 'WAREHOUSE_INACTIVE' }];
  }
  return [];
}

/** The stock rules a user's own input can break; any other broken rule is a bug. */
function userErrorCodeOf(code: StockRuleCode): StockUserErrorCode | null {
  if (code === 'NEGATIVE_ON_HAND' || code === 'INSUFFICIENT_STOCK') return 'INSUFFICIENT_STOCK';
  if (code === 'OUT_OF_RANGE') return 'INVALID';
  return null;
}

const keyReused = () =>
  fail<StockUserErrorCode>({
    field: ['input', 'idempotencyKey'],
    message: 'This idempotency key was already used for a different request',
    code: 'IDEMPOTENCY_KEY_REUSED',
  });

const actorOf = (ctx: RequestContext) => ctx.viewer?.tokenId ?? 'unknown';

const importSchema = z.object({
  warehouseId: z.string(),
  mode: z.enum(['SET', 'DELTA']),
  rows: z
    .array(z.object({ sku: z.string(), quantity: z.number() }))
    .min(1, 'must have at least one row')
    .max(MAX_IMPORT_ROWS, `must have at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`),
  idempotencyKey,
});

export type ImportStockInput = z.input<typeof importSchema>;
export interface ImportStockResult {
  /** One per row, in row order. */
  stockRecords: StockRecord[];
  alreadyApplied: boolean;
}

/** Thrown inside the import transaction so that records it created while checking roll back. */
class ImportRejected extends Error {
  constructor(readonly userErrors: StockUserError[]) {
    super('import rejected');
  }
}

/**
 * Sets (SET) or changes (DELTA) on-hand stock of many SKUs in an own warehouse, all or
 * nothing: every row is checked first and every problem reported with its row index.
 */
export async function importStock(
  ctx: RequestContext,
  input: ImportStockInput,
): Promise<ServiceResult<ImportStockResult, StockUserErrorCode>> {
  const parsed = parseInput(importSchema, input, ['input'], 'INVALID' as StockUserErrorCode);
  if (!parsed.ok) return parsed;
  const { warehouseId, mode } = parsed.value;
  const rows = parsed.value.rows.map((row) => ({ sku: row.sku.trim(), quantity: row.quantity }));
  const merchantId = merchantIdOf(ctx);
  const importId = parsed.value.idempotencyKey ?? randomUUID();
  const rowKey = (index: number) => `import:${importId}:${index}`;

  const rowErrors = rows.flatMap((row, index) => rowShapeErrors(mode, row, index));
  try {
    // Large imports take longer than Prisma's default 5 s for an interactive transaction.
    return await ctx.db.prisma.$transaction(
      async (tx) => {
        if (parsed.value.idempotencyKey) {
          const earlier = await earlierImport(tx, merchantId, warehouseId, rows, rowKey);
          if (earlier) return earlier;
        }
        const warehouse = await tx.warehouse.findFirst({ where: { id: warehouseId, merchantId }, select: { kind: true, status: true } });
        if (!warehouse) return fail({ field: ['input', 'warehouseId'], message: 'No such warehouse', code: 'NOT_FOUND' });
        const refused = warehouseErrors(warehouse);
        if (refused.length > 0) return fail(...refused);

        const valid = new Set(rows.keys());
        const firstRowOfSku = new Map<string, number>();
        rows.forEach(({ sku }, index) => {
          const first = firstRowOfSku.get(sku);
          if (sku === '') return;
          if (first === undefined) return void firstRowOfSku.set(sku, index);
          const field = ['input', 'rows', String(index), 'sku'];
          rowErrors.push({ field, index, code: 'DUPLICATE_ROW', message: `SKU "${sku}" is already in row ${first}` });
        });
        for (const error of rowErrors) valid.delete(error.index!);
        const skuIds = await placedSkuIds(tx, merchantId, warehouseId, [...valid].map((index) => rows[index]!.sku));
        for (const index of valid) {
          const { sku } = rows[index]!;
          const field = ['input', 'rows', String(index), 'sku'];
          const placed = skuIds.get(sku);
          if (placed === undefined) rowErrors.push({ field, index, code: 'NOT_FOUND', message: `No Master SKU "${sku}"` });
          else if (placed === null) {
            rowErrors.push({ field, index, code: 'SKU_NOT_IN_WAREHOUSE', message: `SKU "${sku}" is not placed in this warehouse` });
          }
          if (!placed) valid.delete(index);
        }

        const targets = [...valid].map((index) => ({ index, merchantId, warehouseId, masterSkuId: skuIds.get(rows[index]!.sku)! }));
        const records = targets.length > 0 ? await lockStockRecords(tx, targets) : new Map<string, LockedRecord>();
        const movements = targets.map(({ index, ...target }): StockMovementInput => {
          const row = rows[index]!;
          const record = records.get(targetKey(target))!;
          const onHandDelta = importDelta(mode, record.onHand, row.quantity);
          const check = checkMovement(levelsOf(record), 'IMPORT', { onHandDelta, lockedDelta: 0, incomingDelta: 0 });
          const code = check.ok ? null : userErrorCodeOf(check.code);
          if (!check.ok) {
            rowErrors.push({ field: ['input', 'rows', String(index), 'quantity'], index, code: code ?? 'INVALID', message: check.message });
          }
          return {
            ...target,
            reason: 'IMPORT',
            onHandDelta,
            referenceType: 'STOCK_IMPORT',
            referenceId: importId,
            actor: actorOf(ctx),
            idempotencyKey: rowKey(index),
            note: mode === 'SET' ? `Import: set to ${row.quantity}` : `Import: change by ${row.quantity}`,
          };
        });
        if (rowErrors.length > 0) throw new ImportRejected(rowErrors.sort((a, b) => a.index! - b.index!));

        const applied = await applyToLockedRecords(tx, withDeltas(movements), records);
        return succeed({ stockRecords: applied.map(({ record }) => record), alreadyApplied: false });
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof ImportRejected) return fail(...error.userErrors);
    throw error;
  }
}

function rowShapeErrors(mode: ImportMode, row: { sku: string; quantity: number }, index: number): StockUserError[] {
  const at = (field: 'sku' | 'quantity', message: string): StockUserError => ({
    field: ['input', 'rows', String(index), field],
    index,
    code: 'INVALID',
    message,
  });
  const errors: StockUserError[] = [];
  if (row.sku === '') errors.push(at('sku', 'sku must not be blank'));
  else if (row.sku.length > 64) errors.push(at('sku', 'sku must be at most 64 characters'));
  if (!Number.isInteger(row.quantity)) errors.push(at('quantity', 'quantity must be a whole number'));
  else if (mode === 'SET' && row.quantity < 0) errors.push(at('quantity', 'quantity must not be negative when setting stock'));
  else if (Math.abs(row.quantity) > MAX_STOCK_QUANTITY) errors.push(at('quantity', `quantity ${quantityLimit}`));
  return errors;
}

/** Master SKU ids by code: null for a SKU of this merchant not placed in the warehouse. */
async function placedSkuIds(
  tx: Prisma.TransactionClient,
  merchantId: string,
  warehouseId: string,
  skus: string[],
): Promise<Map<string, string | null>> {
  if (skus.length === 0) return new Map();
  const found = await tx.$queryRaw<{ id: string; sku: string; placed: boolean }[]>`
    SELECT k.id, k.sku, EXISTS (
      SELECT 1 FROM "WarehouseProduct" p WHERE p."masterSkuId" = k.id AND p."warehouseId" = ${warehouseId}
    ) AS placed
    FROM "MasterSku" k
    WHERE k."merchantId" = ${merchantId} AND k.sku = ANY(${[...new Set(skus)]}::text[])`;
  return new Map(found.map((row) => [row.sku, row.placed ? row.id : null]));
}

/** The first answer to an import retried with its idempotency key, or null if it is new. */
async function earlierImport(
  tx: Prisma.TransactionClient,
  merchantId: string,
  warehouseId: string,
  rows: { sku: string }[],
  rowKey: (index: number) => string,
): Promise<ServiceResult<ImportStockResult, StockUserErrorCode> | null> {
  // One key past the last row too: an earlier import with more rows is a different request.
  const keys = Array.from({ length: rows.length + 1 }, (_, index) => rowKey(index));
  const earlier = await tx.$queryRaw<(StockRecord & { idempotencyKey: string; sku: string })[]>`
    SELECT r.*, m."idempotencyKey", k.sku FROM "StockMovement" m
    JOIN "StockRecord" r ON r.id = m."stockRecordId"
    JOIN "MasterSku" k ON k.id = r."masterSkuId"
    WHERE m."merchantId" = ${merchantId} AND m."idempotencyKey" = ANY(${keys}::text[])`;
  if (earlier.length === 0) return null;
  const byKey = new Map(earlier.map(({ idempotencyKey: key, sku, ...record }) => [key, { record, sku }]));
  const same =
    earlier.length === rows.length &&
    rows.every((row, index) => {
      const match = byKey.get(rowKey(index));
      return match?.sku === row.sku && match.record.warehouseId === warehouseId;
    });
  if (!same) return keyReused();
  return succeed({ stockRecords: rows.map((_, index) => byKey.get(rowKey(index))!.record), alreadyApplied: true });
}

// ─── Listing ────────────────────────────────────────────────────────────────────
// Raw SQL because "available" (onHand − locked) is derived: Prisma can neither filter nor
// sort by an expression, and an id list of every low-stock record would not scale.

export const STOCK_RECORD_SORT_FIELDS = ['SKU', 'ON_HAND', 'AVAILABLE', 'LOCKED', 'INCOMING', 'UPDATED_AT'] as const;
export type StockRecordSortField = (typeof STOCK_RECORD_SORT_FIELDS)[number];

export interface StockRecordFilter {
  warehouseId?: string | null;
  /** SKU code or name, contains, case-insensitive. */
  text?: string | null;
  /** available < lowStockBelow */
  lowStockBelow?: number | null;
  negativeAvailable?: boolean | null;
  shortage?: boolean | null;
}

/** Where a page starts: the sort value and id of the row next to it. */
export interface StockRecordCursor {
  value: string | number;
  id: string;
}

export interface StockRecordPageRequest {
  sort: { field: StockRecordSortField; direction: 'ASC' | 'DESC' };
  after?: StockRecordCursor;
  before?: StockRecordCursor;
  limit: number;
  /** Paging backwards (`last`): rows nearest `before` first. */
  inverted: boolean;
}

const SORT_SQL: Record<StockRecordSortField, { expression: Prisma.Sql; cast: Prisma.Sql }> = {
  SKU: { expression: Prisma.sql`k.sku`, cast: Prisma.sql`text` },
  ON_HAND: { expression: Prisma.sql`r."onHand"`, cast: Prisma.sql`int` },
  AVAILABLE: { expression: Prisma.sql`(r."onHand" - r."locked")`, cast: Prisma.sql`int` },
  LOCKED: { expression: Prisma.sql`r."locked"`, cast: Prisma.sql`int` },
  INCOMING: { expression: Prisma.sql`r."incoming"`, cast: Prisma.sql`int` },
  UPDATED_AT: { expression: Prisma.sql`r."updatedAt"`, cast: Prisma.sql`timestamp(3)` },
};

function stockRecordConditions(ctx: RequestContext, filter: StockRecordFilter | null | undefined): Prisma.Sql[] {
  const conditions = [Prisma.sql`r."merchantId" = ${merchantIdOf(ctx)}`];
  if (filter?.warehouseId != null) conditions.push(Prisma.sql`r."warehouseId" = ${filter.warehouseId}`);
  const text = filter?.text?.trim();
  if (text) conditions.push(Prisma.sql`(strpos(lower(k.sku), lower(${text})) > 0 OR strpos(lower(k.name), lower(${text})) > 0)`);
  if (filter?.lowStockBelow != null) conditions.push(Prisma.sql`r."onHand" - r."locked" < ${filter.lowStockBelow}`);
  if (filter?.negativeAvailable != null) {
    conditions.push(filter.negativeAvailable ? Prisma.sql`r."onHand" < r."locked"` : Prisma.sql`r."onHand" >= r."locked"`);
  }
  if (filter?.shortage != null) conditions.push(Prisma.sql`r.shortage = ${filter.shortage}`);
  return conditions;
}

/** The ids (and sort values, for cursors) of one page of the merchant's stock records. */
export async function stockRecordPage(
  ctx: RequestContext,
  filter: StockRecordFilter | null | undefined,
  page: StockRecordPageRequest,
): Promise<{ id: string; sortValue: string | number }[]> {
  const { expression, cast } = SORT_SQL[page.sort.field];
  const ascending = page.sort.direction === 'ASC';
  const conditions = stockRecordConditions(ctx, filter);
  const beyond = (cursor: StockRecordCursor, later: boolean) =>
    later
      ? Prisma.sql`(${expression}, r.id) > (${cursor.value}::${cast}, ${cursor.id})`
      : Prisma.sql`(${expression}, r.id) < (${cursor.value}::${cast}, ${cursor.id})`;
  if (page.after) conditions.push(beyond(page.after, ascending));
  if (page.before) conditions.push(beyond(page.before, !ascending));
  const direction = ascending !== page.inverted ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = await ctx.db.prisma.$queryRaw<{ id: string; sortValue: string | number | Date }[]>`
    SELECT r.id, ${expression} AS "sortValue"
    FROM "StockRecord" r JOIN "MasterSku" k ON k.id = r."masterSkuId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${expression} ${direction}, r.id ${direction}
    LIMIT ${page.limit}`;
  return rows.map((row) => ({ id: row.id, sortValue: row.sortValue instanceof Date ? row.sortValue.toISOString() : row.sortValue }));
}

export async function countStockRecords(ctx: RequestContext, filter: StockRecordFilter | null | undefined): Promise<number> {
  const [row] = await ctx.db.prisma.$queryRaw<{ count: bigint | number }[]>`
    SELECT count(*) AS count FROM "StockRecord" r JOIN "MasterSku" k ON k.id = r."masterSkuId"
    WHERE ${Prisma.join(stockRecordConditions(ctx, filter), ' AND ')}`;
  return Number(row?.count ?? 0);
}

export interface StockMovementFilter {
  stockRecordId?: string | null;
  warehouseId?: string | null;
  reasons?: StockMovementReason[] | null;
  /** Inclusive. */
  createdAfter?: Date | null;
  /** Exclusive. */
  createdBefore?: Date | null;
}

export function stockMovementWhere(ctx: RequestContext, filter: StockMovementFilter | null | undefined): Prisma.StockMovementWhereInput {
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.stockRecordId != null ? { stockRecordId: filter.stockRecordId } : {}),
    ...(filter?.warehouseId != null ? { stockRecord: { warehouseId: filter.warehouseId } } : {}),
    ...(filter?.reasons?.length ? { reason: { in: filter.reasons } } : {}),
    ...(filter?.createdAfter || filter?.createdBefore
      ? {
          createdAt: {
            ...(filter.createdAfter ? { gte: filter.createdAfter } : {}),
            ...(filter.createdBefore ? { lt: filter.createdBefore } : {}),
          },
        }
      : {}),
  };
}
