// Placing Master SKUs in warehouses: the precondition for stocking or shipping them there.
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { Prisma, WarehouseProduct } from '../generated/prisma/client.ts';
import { reevaluateOpenOrders } from './order-writes.ts';
import { enqueueCommands, type NewCommand } from './outbox.service.ts';
import { fail, type ServiceResult, succeed, type UserError } from './user-errors.ts';

export const WAREHOUSE_PRODUCT_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'WAREHOUSE_INACTIVE',
  'SKU_ARCHIVED',
  'NOT_REPUSHABLE',
  'INTEGRATION_UNBOUND',
] as const;
export type WarehouseProductErrorCode = (typeof WAREHOUSE_PRODUCT_ERROR_CODES)[number];

export const MAX_PLACEMENTS = 1_000;

type Placement = { warehouseId: string; masterSkuId: string };
type WarehouseKindById = Map<string, 'OWN' | 'THIRD_PARTY'>;

/** The outbox command that pushes a 3PL placement to its provider as a product (product-push.service.ts runs it). */
export const PUSH_PRODUCT = 'PUSH_PRODUCT';

export function productPushCommand(placement: { id: string; merchantId: string }): NewCommand {
  return {
    merchantId: placement.merchantId,
    kind: PUSH_PRODUCT,
    subjectType: 'WAREHOUSE_PRODUCT',
    subjectId: placement.id,
    dedupeKey: `push:WAREHOUSE_PRODUCT:${placement.id}`,
  };
}

/**
 * Creates the placements that don't exist yet (and their empty stock records), inside the
 * caller's transaction. Each new 3PL placement gets its push command in the same transaction,
 * so a placement never waits for a push nobody will send.
 */
export async function placeProducts(
  tx: Prisma.TransactionClient,
  merchantId: string,
  placements: Placement[],
  kinds: WarehouseKindById,
): Promise<{ created: number }> {
  const created = await tx.warehouseProduct.createManyAndReturn({
    data: placements.map((placement) => ({
      ...placement,
      merchantId,
      pushStatus: kinds.get(placement.warehouseId) === 'THIRD_PARTY' ? 'PENDING' : 'NOT_REQUIRED',
    })),
    skipDuplicates: true,
    select: { id: true, merchantId: true, pushStatus: true },
  });
  await enqueueCommands(tx, created.filter((placement) => placement.pushStatus === 'PENDING').map(productPushCommand));
  await tx.stockRecord.createMany({ data: placements.map((placement) => ({ ...placement, merchantId })), skipDuplicates: true });
  return { created: created.length };
}

/** Active warehouses of this merchant among `ids`, by id. */
export async function activeWarehouseKinds(
  tx: Prisma.TransactionClient,
  merchantId: string,
  ids: string[],
): Promise<{ kinds: WarehouseKindById; inactive: Set<string> }> {
  const warehouses = await tx.warehouse.findMany({
    where: { merchantId, id: { in: ids } },
    select: { id: true, kind: true, status: true },
  });
  return {
    kinds: new Map(warehouses.filter((w) => w.status === 'ACTIVE').map((w) => [w.id, w.kind])),
    inactive: new Set(warehouses.filter((w) => w.status !== 'ACTIVE').map((w) => w.id)),
  };
}

export interface AddProductsInput {
  warehouseId: string;
  masterSkuIds: string[];
}

/** Places many Master SKUs in one warehouse; repeating a placement is harmless. */
export async function addProductsToWarehouse(
  ctx: RequestContext,
  input: AddProductsInput,
): Promise<ServiceResult<{ products: WarehouseProduct[]; newlyPlaced: number }, WarehouseProductErrorCode>> {
  const merchantId = merchantIdOf(ctx);
  const ids = [...new Set(input.masterSkuIds)];
  if (ids.length === 0 || input.masterSkuIds.length > MAX_PLACEMENTS) {
    return fail({ field: ['input', 'masterSkuIds'], message: `give 1 to ${MAX_PLACEMENTS} Master SKUs`, code: 'INVALID' });
  }
  return ctx.db.prisma.$transaction(async (tx) => {
    const { kinds, inactive } = await activeWarehouseKinds(tx, merchantId, [input.warehouseId]);
    if (inactive.has(input.warehouseId)) {
      return fail({ field: ['input', 'warehouseId'], message: 'The warehouse is not active', code: 'WAREHOUSE_INACTIVE' });
    }
    if (!kinds.has(input.warehouseId)) {
      return fail({ field: ['input', 'warehouseId'], message: 'No such warehouse', code: 'NOT_FOUND' });
    }
    const skus = await tx.masterSku.findMany({ where: { merchantId, id: { in: ids } }, select: { id: true, status: true } });
    const statusById = new Map(skus.map((sku) => [sku.id, sku.status]));
    const errors: UserError<WarehouseProductErrorCode>[] = [];
    input.masterSkuIds.forEach((id, index) => {
      const field = ['input', 'masterSkuIds', String(index)];
      const status = statusById.get(id);
      if (!status) errors.push({ field, message: 'No such Master SKU', code: 'NOT_FOUND', index });
      else if (status === 'ARCHIVED') errors.push({ field, message: 'An archived Master SKU cannot be placed', code: 'SKU_ARCHIVED', index });
    });
    if (errors.length > 0) return fail(...errors);

    const placements = ids.map((masterSkuId) => ({ warehouseId: input.warehouseId, masterSkuId }));
    const { created } = await placeProducts(tx, merchantId, placements, kinds);
    if (created > 0) await reevaluateOrdersShippedFrom(tx, merchantId, input.warehouseId);
    const products = await tx.warehouseProduct.findMany({
      where: { warehouseId: input.warehouseId, masterSkuId: { in: ids } },
      orderBy: { id: 'asc' },
    });
    return succeed({ products, newlyPlaced: created });
  });
}

/** Open orders of stores that ship from this warehouse are allocated and checked again. */
export async function reevaluateOrdersShippedFrom(tx: Prisma.TransactionClient, merchantId: string, warehouseId: string): Promise<void> {
  const rules = await tx.shippingRule.findMany({ where: { merchantId, warehouseId }, select: { storeId: true }, orderBy: { storeId: 'asc' } });
  for (const { storeId } of rules) await reevaluateOpenOrders(tx, merchantId, { storeId });
}
