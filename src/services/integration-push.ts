// Subscribing a binding to its provider's push messages; without them its statuses are polled.
import type { Database } from '../db/database.ts';
import type { Integration } from '../generated/prisma/client.ts';
import { ProviderError } from '../providers/types.ts';
import type { ProviderAccess } from './provider-access.ts';

/**
 * Registers this gateway's webhook URL when `wanted`, and records the outcome as the binding's
 * status delivery (PUSH or POLL). A refused subscription does not undo the binding: it is polled
 * instead, and `lastError` says why.
 */
export async function subscribeToPush(deps: { db: Database; providers: ProviderAccess }, integration: Integration, wanted: boolean): Promise<Integration> {
  const update = (data: { statusDelivery: 'PUSH' | 'POLL'; lastError?: string | null }) =>
    deps.db.prisma.integration.update({ where: { id: integration.id }, data });
  if (!wanted) return update({ statusDelivery: 'POLL' });
  const callbackUrl = integration.provider === 'ECCANG' ? deps.providers.eccangWebhookUrl(integration.webhookToken) : deps.providers.jdWebhookUrl();
  try {
    const provider = await deps.providers.forIntegration(integration);
    await provider.registerPush(callbackUrl);
    return update({ statusDelivery: 'PUSH', lastError: null });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return update({ statusDelivery: 'POLL', lastError: `Push subscription failed, statuses are polled instead: ${error.message}` });
  }
}
