// An integration's status moves with a history row, and the orders that ship from its
// warehouses are checked again (an inactive integration makes them ineligible).
import type { Database } from '../db/database.ts';
import type { Integration, Prisma } from '../generated/prisma/client.ts';
import type { ChangeSource, IntegrationStatus } from '../generated/prisma/enums.ts';
import { reevaluateOrdersShippedFrom } from './warehouse-product.service.ts';

export async function recordIntegrationStatus(
  tx: Prisma.TransactionClient,
  change: {
    merchantId: string;
    integrationId: string;
    from: IntegrationStatus | null;
    to: IntegrationStatus;
    source: ChangeSource;
    detail?: Record<string, string | null>;
  },
): Promise<void> {
  if (change.from === change.to) return;
  await tx.statusChange.create({
    data: {
      merchantId: change.merchantId,
      subjectType: 'INTEGRATION',
      subjectId: change.integrationId,
      fromStatus: change.from,
      toStatus: change.to,
      source: change.source,
      detail: change.detail ?? undefined,
    },
  });
  if (change.from === null) return;
  const warehouses = await tx.warehouse.findMany({ where: { integrationId: change.integrationId }, select: { id: true }, orderBy: { id: 'asc' } });
  for (const { id } of warehouses) await reevaluateOrdersShippedFrom(tx, change.merchantId, id);
}

/**
 * The provider refused a binding's credentials: it turns AUTH_FAILED, so work stops until the
 * merchant rotates or re-enables them. A binding not ACTIVE is left as it is.
 */
export async function markAuthFailed(db: Database, integration: Pick<Integration, 'id' | 'merchantId'>, reason: string): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    const moved = await tx.integration.updateMany({ where: { id: integration.id, status: 'ACTIVE' }, data: { status: 'AUTH_FAILED', lastError: reason } });
    if (moved.count === 0) return;
    await recordIntegrationStatus(tx, { merchantId: integration.merchantId, integrationId: integration.id, from: 'ACTIVE', to: 'AUTH_FAILED', source: 'SYSTEM', detail: { reason } });
  });
}
