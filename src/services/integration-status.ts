// An integration's status moves with a history row, and the orders that ship from its
// warehouses are checked again (an inactive integration makes them ineligible). Provider work
// that waited for it resumes when it becomes ACTIVE again.
import type { Prisma } from '../generated/prisma/client.ts';
import type { ChangeSource, IntegrationStatus } from '../generated/prisma/enums.ts';
import { wakeCommandsOfIntegration } from './outbox.service.ts';
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
  if (change.to === 'ACTIVE') await wakeCommandsOfIntegration(tx, change.integrationId);
  const warehouses = await tx.warehouse.findMany({ where: { integrationId: change.integrationId }, select: { id: true }, orderBy: { id: 'asc' } });
  for (const { id } of warehouses) await reevaluateOrdersShippedFrom(tx, change.merchantId, id);
}

/**
 * The provider refused a binding's credentials: it turns AUTH_FAILED, so work stops until the
 * merchant rotates them or enables it again. A binding no longer ACTIVE is left as it is.
 */
export async function markAuthFailed(tx: Prisma.TransactionClient, change: { merchantId: string; integrationId: string; reason: string }): Promise<void> {
  const { count } = await tx.integration.updateMany({ where: { id: change.integrationId, status: 'ACTIVE' }, data: { status: 'AUTH_FAILED', lastError: change.reason } });
  if (count === 0) return;
  await recordIntegrationStatus(tx, { ...change, from: 'ACTIVE', to: 'AUTH_FAILED', source: 'SYSTEM', detail: { reason: change.reason } });
}
