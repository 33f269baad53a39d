// One credential set binds to one merchant [seed]: finding the binding that holds an identity.
import type { Database } from '../db/database.ts';
import { releasedFingerprint } from '../domain/integration.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { Provider } from '../generated/prisma/enums.ts';
import type { IntegrationErrorCode } from './integration-errors.ts';
import { fail } from './user-errors.ts';

/**
 * The live binding holding `fingerprint`, else this merchant's own unbound binding of it (binding
 * again revives that one, with its warehouses and history, instead of starting a twin).
 */
export async function findBindingByIdentity(db: Database, merchantId: string, provider: Provider, fingerprint: string): Promise<Integration | null> {
  const live = await db.prisma.integration.findUnique({ where: { provider_credentialFingerprint: { provider, credentialFingerprint: fingerprint } } });
  if (live) return live;
  return db.prisma.integration.findFirst({
    where: { merchantId, provider, status: 'UNBOUND', credentialFingerprint: { startsWith: releasedFingerprint(fingerprint, '') } },
    orderBy: { updatedAt: 'desc' },
  });
}

export const takenByAnotherMerchant = (field: string[], message: string) =>
  fail<IntegrationErrorCode>({ field, message: `${message}; one credential set binds to one merchant only`, code: 'TAKEN' });
