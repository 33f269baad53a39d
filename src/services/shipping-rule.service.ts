// Warehouse shipping rules: for each store, the warehouses its orders ship from, by priority.
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { Store } from '../generated/prisma/client.ts';
import { type OrderWriteOptions, reevaluateOpenOrders } from './order-writes.ts';
import { fail, type ServiceResult, succeed, type UserError } from './user-errors.ts';

export const SHIPPING_RULE_ERROR_CODES = ['INVALID', 'NOT_FOUND', 'DUPLICATE', 'WAREHOUSE_INACTIVE'] as const;
export type ShippingRuleErrorCode = (typeof SHIPPING_RULE_ERROR_CODES)[number];

export const MAX_SHIPPING_RULES = 50;

export interface SetShippingRulesInput {
  storeId: string;
  /** Highest priority first; an empty list removes the store's rules. */
  warehouseIds: string[];
}

/**
 * Replaces a store's rules in one go (priority = position, 1 first), then re-allocates the
 * store's orders that are not yet shipping, so their eligibility follows the new rules.
 */
export async function setShippingRules(
  ctx: RequestContext,
  input: SetShippingRulesInput,
  options: OrderWriteOptions = {},
): Promise<ServiceResult<Store, ShippingRuleErrorCode>> {
  const merchantId = merchantIdOf(ctx);
  if (input.warehouseIds.length > MAX_SHIPPING_RULES) {
    return fail({ field: ['input', 'warehouseIds'], message: `give at most ${MAX_SHIPPING_RULES} warehouses`, code: 'INVALID' });
  }
  return ctx.db.prisma.$transaction(async (tx) => {
    // Locking the store serialises concurrent replacements of its list.
    const stores = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Store" WHERE id = ${input.storeId} AND "merchantId" = ${merchantId} FOR UPDATE`;
    const warehouses = await tx.warehouse.findMany({
      where: { merchantId, id: { in: [...new Set(input.warehouseIds)] } },
      select: { id: true, status: true },
    });
    const statusById = new Map(warehouses.map((warehouse) => [warehouse.id, warehouse.status]));

    const errors: UserError<ShippingRuleErrorCode>[] = [];
    if (stores.length === 0) errors.push({ field: ['input', 'storeId'], message: 'No such store', code: 'NOT_FOUND' });
    const seen = new Set<string>();
    input.warehouseIds.forEach((warehouseId, index) => {
      const field = ['input', 'warehouseIds', String(index)];
      const status = statusById.get(warehouseId);
      if (!status) {
        errors.push({ field, message: 'No such warehouse', code: 'NOT_FOUND', index });
      } else if (seen.has(warehouseId)) {
        errors.push({ field, message: 'The warehouse is listed twice', code: 'DUPLICATE', index });
      } else if (status !== 'ACTIVE') {
        const message = `The warehouse is ${status.toLowerCase()}; only active warehouses can ship orders`;
        errors.push({ field, message, code: 'WAREHOUSE_INACTIVE', index });
      }
      seen.add(warehouseId);
    });
    if (errors.length > 0) return fail(...errors);

    await tx.shippingRule.deleteMany({ where: { storeId: input.storeId } });
    await tx.shippingRule.createMany({
      data: input.warehouseIds.map((warehouseId, position) => ({
        merchantId,
        storeId: input.storeId,
        warehouseId,
        priority: position + 1,
      })),
    });
    await reevaluateOpenOrders(tx, merchantId, { storeId: input.storeId }, options);
    return succeed(await tx.store.findUniqueOrThrow({ where: { id: input.storeId } }));
  }, { timeout: 60_000 });
}
