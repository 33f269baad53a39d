// Manual adjustments and bulk imports of stock in the merchant's own warehouses; both go
// through the stock service's ledger and are idempotent per key.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import { checkMovement, type ImportMode, importDelta, MAX_STOCK_QUANTITY, type StockRuleCode } from '../domain/stock.ts';
import { Prisma, type StockMovement, type StockRecord } from '../generated/prisma/client.ts';
import { fail, parseInput, type ServiceResult, succeed, type UserError } from './user-errors.ts';

import {
  applyStockMovements,
  applyToLockedRecords,
  type LockedRecord,
  levelsOf,
  lockStockRecords,
  type StockMovementInput,
  StockRuleError,
  targetKey,
  withDeltas,
} from './stock.service.ts';

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

