// Mirrors a binding's provider warehouses: new ones are created, vanished ones marked, none deleted.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Provider } from '../generated/prisma/enums.ts';
import type { ProviderWarehouse } from '../providers/types.ts';
import { reevaluateOrdersShippedFrom } from './warehouse-product.service.ts';
import type { UserError } from './user-errors.ts';

export interface WarehouseReconciliation {
  added: number;
  vanished: number;
  restored: number;
}

interface Target {
  merchantId: string;
  integrationId: string;
  provider: Provider;
}

/** Names the rule gives that another warehouse of the merchant already has: the merchant must rename it first. */
export async function warehouseNameConflicts(
  tx: Prisma.TransactionClient,
  target: Target,
  names: string[],
): Promise<UserError<'WAREHOUSE_NAME_TAKEN'>[]> {
  const taken = await tx.warehouse.findMany({
    where: { merchantId: target.merchantId, name: { in: names }, OR: [{ integrationId: null }, { integrationId: { not: target.integrationId } }] },
    select: { name: true },
  });
  return taken.map(({ name }) => ({
    field: null,
    message: `Warehouse name "${name}" is already used by another of your warehouses; rename that one and bind again`,
    code: 'WAREHOUSE_NAME_TAKEN',
  }));
}

/**
 * `listed` is what the provider reports now; `nameOf` gives the rule name for a code. A warehouse
 * the merchant disabled stays disabled even when the provider lists it.
 */
export async function reconcileWarehouses(
  tx: Prisma.TransactionClient,
  target: Target,
  listed: ProviderWarehouse[],
  nameOf: (code: string) => string,
  options: { markVanished: boolean },
): Promise<WarehouseReconciliation> {
  const existing = await tx.warehouse.findMany({ where: { integrationId: target.integrationId }, orderBy: { id: 'asc' } });
  const byCode = new Map(existing.map((warehouse) => [warehouse.providerCode, warehouse]));
  const listedCodes = new Set(listed.map((warehouse) => warehouse.code));
  const result: WarehouseReconciliation = { added: 0, vanished: 0, restored: 0 };
  const statusChanged: string[] = [];

  for (const warehouse of listed) {
    const current = byCode.get(warehouse.code);
    const name = nameOf(warehouse.code);
    if (!current) {
      await tx.warehouse.create({
        data: {
          merchantId: target.merchantId,
          integrationId: target.integrationId,
          kind: 'THIRD_PARTY',
          provider: target.provider,
          providerCode: warehouse.code,
          name,
          country: warehouse.country,
        },
      });
      result.added++;
      continue;
    }
    const restore = current.status === 'VANISHED';
    if (restore || current.name !== name || (warehouse.country && current.country !== warehouse.country)) {
      await tx.warehouse.update({
        where: { id: current.id },
        data: { name, ...(warehouse.country ? { country: warehouse.country } : {}), ...(restore ? { status: 'ACTIVE', vanishedAt: null } : {}) },
      });
    }
    if (restore) {
      result.restored++;
      statusChanged.push(current.id);
    }
  }

  if (options.markVanished) {
    for (const warehouse of existing) {
      if (listedCodes.has(warehouse.providerCode ?? '') || warehouse.status === 'VANISHED') continue;
      await tx.warehouse.update({ where: { id: warehouse.id }, data: { status: 'VANISHED', vanishedAt: new Date() } });
      result.vanished++;
      statusChanged.push(warehouse.id);
    }
  }
  for (const warehouseId of statusChanged) await reevaluateOrdersShippedFrom(tx, target.merchantId, warehouseId);
  return result;
}
