// Warehouses: the merchant's own are created and edited here; 3PL ones come from bindings.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { Prisma, Warehouse } from '../generated/prisma/client.ts';
import { CountryCode, type Provider, type WarehouseKind, type WarehouseStatus } from '../generated/prisma/enums.ts';
import { reevaluateOrdersShippedFrom } from './warehouse-product.service.ts';
import { fail, isUniqueViolation, parseInput, type ServiceResult, succeed, withoutUndefined } from './user-errors.ts';

export const WAREHOUSE_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND', 'THIRD_PARTY_WAREHOUSE', 'OWN_WAREHOUSE'] as const;
export type WarehouseErrorCode = (typeof WAREHOUSE_ERROR_CODES)[number];

const name = z.string().trim().min(1, 'must not be blank').max(120, 'must be at most 120 characters');

const createSchema = z.object({ name, country: z.enum(CountryCode).nullish() });
const updateSchema = z.object({
  name: name.optional(),
  country: z.enum(CountryCode).nullish(),
  status: z.enum(['ACTIVE', 'DISABLED'], { error: 'must be ACTIVE or DISABLED' }).optional(),
  autoSync: z.boolean().optional(),
});

export type CreateWarehouseInput = z.input<typeof createSchema>;
export interface UpdateWarehouseInput {
  name?: string | null;
  country?: CountryCode | null;
  /** ACTIVE or DISABLED; VANISHED is set only by a provider sync. */
  status?: WarehouseStatus | null;
  autoSync?: boolean | null;
}

type Result = ServiceResult<Warehouse, WarehouseErrorCode>;

const nameTaken = () =>
  fail<WarehouseErrorCode>({ field: ['input', 'name'], message: 'Another warehouse already has this name', code: 'TAKEN' });

export async function createOwnWarehouse(ctx: RequestContext, input: CreateWarehouseInput): Promise<Result> {
  const parsed = parseInput(createSchema, input, ['input'], 'INVALID' as WarehouseErrorCode);
  if (!parsed.ok) return parsed;
  try {
    const warehouse = await ctx.db.prisma.warehouse.create({
      data: { merchantId: merchantIdOf(ctx), kind: 'OWN', name: parsed.value.name, country: parsed.value.country ?? null },
    });
    return succeed(warehouse);
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken();
    throw error;
  }
}

/**
 * Own warehouses: name, country and status are the merchant's. 3PL warehouses: the provider
 * owns name, code and existence; the merchant only chooses whether stock syncs daily.
 */
export async function updateWarehouse(ctx: RequestContext, id: string, input: UpdateWarehouseInput): Promise<Result> {
  const parsed = parseInput(updateSchema, input, ['input'], 'INVALID' as WarehouseErrorCode);
  if (!parsed.ok) return parsed;
  const where = { id, merchantId: merchantIdOf(ctx) };
  const warehouse = await ctx.db.prisma.warehouse.findUnique({ where, select: { kind: true } });
  if (!warehouse) return fail({ field: ['id'], message: 'No such warehouse', code: 'NOT_FOUND' });

  const { autoSync, ...own } = parsed.value;
  if (warehouse.kind === 'OWN' && autoSync !== undefined) {
    return fail({ field: ['input', 'autoSync'], message: 'Only 3PL warehouses sync stock from a provider', code: 'OWN_WAREHOUSE' });
  }
  const ownFields = Object.entries(own).filter(([, value]) => value !== undefined);
  if (warehouse.kind === 'THIRD_PARTY' && ownFields.length > 0) {
    return fail(
      ...ownFields.map(([field]) => ({
        field: ['input', field],
        message: `${field} of a 3PL warehouse comes from its provider`,
        code: 'THIRD_PARTY_WAREHOUSE' as const,
      })),
    );
  }
  try {
    const data: Prisma.WarehouseUpdateManyMutationInput = withoutUndefined(parsed.value);
    await ctx.db.prisma.$transaction(async (tx) => {
      await tx.warehouse.updateMany({ where, data });
      if (data.status) await reevaluateOrdersShippedFrom(tx, where.merchantId, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken();
    throw error;
  }
  return succeed(await ctx.db.prisma.warehouse.findUniqueOrThrow({ where }));
}

export interface WarehouseFilter {
  kind?: WarehouseKind | null;
  provider?: Provider | null;
  status?: WarehouseStatus | null;
  text?: string | null;
}

export function warehouseWhere(ctx: RequestContext, filter: WarehouseFilter | null | undefined): Prisma.WarehouseWhereInput {
  const text = filter?.text?.trim();
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.provider ? { provider: filter.provider } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(text
      ? { OR: [{ name: { contains: text, mode: 'insensitive' } }, { providerCode: { contains: text, mode: 'insensitive' } }] }
      : {}),
  };
}
