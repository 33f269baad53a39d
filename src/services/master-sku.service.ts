// Master SKUs: the merchant's catalogue, validated and unique per merchant.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { InboundList, MasterSku, MasterSkuStatus, Prisma } from '../generated/prisma/client.ts';
import { createInboundListInTransaction } from './inbound.service.ts';
import { requeueFailedPushes } from './product-push.service.ts';
import { applyStockMovements } from './stock.service.ts';
import { activeWarehouseKinds, placeProducts } from './warehouse-product.service.ts';
import { fail, isUniqueViolation, parseInput, type ServiceResult, succeed, type UserError, withoutUndefined } from './user-errors.ts';

export const MASTER_SKU_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND', 'WAREHOUSE_INACTIVE'] as const;
export type MasterSkuErrorCode = (typeof MASTER_SKU_ERROR_CODES)[number];

/** Codes both providers accept as product SKUs. */
const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

const positiveDimension = (max: number) => z.int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value === '' ? null : value));

const masterSkuFields = {
  sku: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(64, 'must be at most 64 characters')
    .regex(SKU_PATTERN, 'may contain only letters, digits and . _ - / and must start with a letter or digit'),
  name: z.string().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters'),
  barcode: optionalText(64),
  weightGrams: positiveDimension(1_000_000).nullish(),
  lengthMm: positiveDimension(10_000).nullish(),
  widthMm: positiveDimension(10_000).nullish(),
  heightMm: positiveDimension(10_000).nullish(),
  declaredValueCents: z.int('must be a whole number').min(0, 'must not be negative').max(100_000_000).nullish(),
  declaredName: optionalText(255),
};

const MAX_INITIAL_WAREHOUSES = 50;

const createSchema = z.object({
  ...masterSkuFields,
  addToWarehouses: z
    .array(
      z.object({
        warehouseId: z.string(),
        initialQuantity: z.int('must be a whole number').min(0, 'must not be negative').max(1_000_000).nullish(),
      }),
    )
    .max(MAX_INITIAL_WAREHOUSES, `must list at most ${MAX_INITIAL_WAREHOUSES} warehouses`)
    .refine((rows) => new Set(rows.map((row) => row.warehouseId)).size === rows.length, 'must not name a warehouse twice')
    .nullish(),
});
const updateSchema = z.object({
  ...z.object(masterSkuFields).partial().shape,
  status: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
});

export type CreateMasterSkuInput = z.input<typeof createSchema>;
/** GraphQL lets any optional field arrive as null; the schema decides which may. */
export type UpdateMasterSkuInput = { [K in keyof z.input<typeof updateSchema>]?: z.input<typeof updateSchema>[K] | null };

type Result = ServiceResult<MasterSku, MasterSkuErrorCode>;

export interface CreatedMasterSku {
  masterSku: MasterSku;
  /** Inbound lists made for initial quantities aimed at 3PL warehouses. */
  inboundLists: InboundList[];
}

const skuTaken = (sku: string) =>
  fail<MasterSkuErrorCode>({ field: ['input', 'sku'], message: `SKU "${sku}" already exists`, code: 'TAKEN' });

/**
 * Creates a Master SKU and, in the same transaction, places it in warehouses. An initial
 * quantity is a stock adjustment in an own warehouse, but an inbound list for a 3PL one:
 * there, stock rises only when the provider reports the goods received.
 */
export async function createMasterSku(
  ctx: RequestContext,
  input: CreateMasterSkuInput,
): Promise<ServiceResult<CreatedMasterSku, MasterSkuErrorCode>> {
  const parsed = parseInput(createSchema, input, ['input'], 'INVALID' as MasterSkuErrorCode);
  if (!parsed.ok) return parsed;
  const { addToWarehouses, ...fields } = parsed.value;
  const targets = addToWarehouses ?? [];
  const merchantId = merchantIdOf(ctx);
  try {
    return await ctx.db.prisma.$transaction(async (tx) => {
      const { kinds, inactive } = await activeWarehouseKinds(tx, merchantId, targets.map((target) => target.warehouseId));
      const problems = targets.flatMap((target, index): UserError<MasterSkuErrorCode>[] => {
        const field = ['input', 'addToWarehouses', String(index), 'warehouseId'];
        if (inactive.has(target.warehouseId)) return [{ field, message: 'The warehouse is not active', code: 'WAREHOUSE_INACTIVE', index }];
        if (!kinds.has(target.warehouseId)) return [{ field, message: 'No such warehouse', code: 'NOT_FOUND', index }];
        return [];
      });
      if (problems.length > 0) return fail(...problems);

      const masterSku = await tx.masterSku.create({ data: { ...withoutUndefined(fields), merchantId } });
      const placements = targets.map((target) => ({ warehouseId: target.warehouseId, masterSkuId: masterSku.id }));
      await placeProducts(tx, merchantId, placements, kinds);

      const stocked = targets.filter((target) => (target.initialQuantity ?? 0) > 0);
      await applyStockMovements(
        tx,
        stocked
          .filter((target) => kinds.get(target.warehouseId) === 'OWN')
          .map((target) => ({
            merchantId,
            warehouseId: target.warehouseId,
            masterSkuId: masterSku.id,
            reason: 'MANUAL_ADJUSTMENT' as const,
            onHandDelta: target.initialQuantity!,
            referenceType: 'MASTER_SKU',
            referenceId: masterSku.id,
            actor: ctx.viewer?.tokenId ?? 'system',
            idempotencyKey: `initial-quantity:${masterSku.id}:${target.warehouseId}`,
            note: 'Initial quantity at Master SKU creation',
          })),
      );
      const inboundLists: InboundList[] = [];
      for (const target of stocked.filter((target) => kinds.get(target.warehouseId) === 'THIRD_PARTY')) {
        inboundLists.push(
          await createInboundListInTransaction(tx, {
            merchantId,
            warehouseId: target.warehouseId,
            source: 'SKU_CREATION',
            lines: [{ masterSkuId: masterSku.id, quantity: target.initialQuantity! }],
          }),
        );
      }
      return succeed({ masterSku, inboundLists });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return skuTaken(fields.sku);
    throw error;
  }
}

/** The fields a provider is told about; changing one gives failed pushes another chance. */
const PUSHED_FIELDS = ['sku', 'name', 'barcode', 'weightGrams', 'lengthMm', 'widthMm', 'heightMm', 'declaredValueCents', 'declaredName'] as const;

/**
 * Updates a Master SKU. When a field the providers receive changed, its placements whose push
 * FAILED are queued again in the same transaction (the merchant has just added the missing weight).
 */
export async function updateMasterSku(ctx: RequestContext, id: string, input: UpdateMasterSkuInput): Promise<Result> {
  const parsed = parseInput(updateSchema, input, ['input'], 'INVALID' as MasterSkuErrorCode);
  if (!parsed.ok) return parsed;
  const merchantId = merchantIdOf(ctx);
  const where = { id, merchantId };
  const data = withoutUndefined(parsed.value);
  try {
    return await ctx.db.prisma.$transaction(async (tx): Promise<Result> => {
      const { count } = await tx.masterSku.updateMany({ where, data });
      if (count === 0) return fail({ field: ['id'], message: 'No such Master SKU', code: 'NOT_FOUND' });
      const masterSku = await tx.masterSku.findUniqueOrThrow({ where });
      if (masterSku.status === 'ACTIVE' && PUSHED_FIELDS.some((field) => field in data)) await requeueFailedPushes(tx, merchantId, id);
      return succeed(masterSku);
    });
  } catch (error) {
    if (isUniqueViolation(error) && parsed.value.sku) return skuTaken(parsed.value.sku);
    throw error;
  }
}

export interface MasterSkuFilter {
  text?: string | null;
  status?: MasterSkuStatus | null;
}

export function masterSkuWhere(ctx: RequestContext, filter: MasterSkuFilter | null | undefined): Prisma.MasterSkuWhereInput {
  const text = filter?.text?.trim();
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(text
      ? {
          OR: [
            { sku: { contains: text, mode: 'insensitive' } },
            { name: { contains: text, mode: 'insensitive' } },
            { barcode: { equals: text } },
          ],
        }
      : {}),
  };
}
