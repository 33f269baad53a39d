// Master SKUs: the merchant's catalogue, validated and unique per merchant.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { MasterSku, MasterSkuStatus, Prisma } from '../generated/prisma/client.ts';
import { fail, isUniqueViolation, parseInput, type ServiceResult, succeed } from './user-errors.ts';

export const MASTER_SKU_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND'] as const;
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

const createSchema = z.object(masterSkuFields);
const updateSchema = z.object({
  ...z.object(masterSkuFields).partial().shape,
  status: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
});

export type CreateMasterSkuInput = z.input<typeof createSchema>;
/** GraphQL lets any optional field arrive as null; the schema decides which may. */
export type UpdateMasterSkuInput = { [K in keyof z.input<typeof updateSchema>]?: z.input<typeof updateSchema>[K] | null };

type Result = ServiceResult<MasterSku, MasterSkuErrorCode>;

const skuTaken = (sku: string) =>
  fail<MasterSkuErrorCode>({ field: ['input', 'sku'], message: `SKU "${sku}" already exists`, code: 'TAKEN' });

export async function createMasterSku(ctx: RequestContext, input: CreateMasterSkuInput): Promise<Result> {
  const parsed = parseInput(createSchema, input, ['input'], 'INVALID' as MasterSkuErrorCode);
  if (!parsed.ok) return parsed;
  try {
    const created = await ctx.db.prisma.masterSku.create({
      data: { ...withoutUndefined(parsed.value), merchantId: merchantIdOf(ctx) },
    });
    return succeed(created);
  } catch (error) {
    if (isUniqueViolation(error)) return skuTaken(parsed.value.sku);
    throw error;
  }
}

export async function updateMasterSku(ctx: RequestContext, id: string, input: UpdateMasterSkuInput): Promise<Result> {
  const parsed = parseInput(updateSchema, input, ['input'], 'INVALID' as MasterSkuErrorCode);
  if (!parsed.ok) return parsed;
  const where = { id, merchantId: merchantIdOf(ctx) };
  try {
    const { count } = await ctx.db.prisma.masterSku.updateMany({ where, data: withoutUndefined(parsed.value) });
    if (count === 0) return fail({ field: ['id'], message: 'No such Master SKU', code: 'NOT_FOUND' });
  } catch (error) {
    if (isUniqueViolation(error) && parsed.value.sku) return skuTaken(parsed.value.sku);
    throw error;
  }
  return succeed(await ctx.db.prisma.masterSku.findUniqueOrThrow({ where }));
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

/** Prisma treats `undefined` as "leave alone" but rejects it in some nested spots; drop it. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
