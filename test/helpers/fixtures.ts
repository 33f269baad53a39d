// Rows that other issues' flows will create (3PL warehouses come from provider bindings),
// made directly so domain tests can stand on them.
import { randomBytes } from 'node:crypto';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { Provider } from '../../src/generated/prisma/enums.ts';
import type { TestApp } from './app.ts';

/** The database id behind a Relay global id. */
export const rowId = (globalId: string) => decodeGlobalID(globalId).id;

export async function createIntegration(t: TestApp, merchantId: string, provider: Provider, status: 'ACTIVE' | 'DISABLED' = 'ACTIVE') {
  const unique = randomBytes(6).toString('hex');
  return t.db.prisma.integration.create({
    data: {
      merchantId,
      provider,
      name: `${provider} ${unique}`,
      status,
      credentialFingerprint: `test-${unique}`,
      credentialsEncrypted: 'test-not-encrypted',
      credentialsHint: '••••test',
      webhookToken: `hook-${unique}`,
    },
  });
}

export async function createThirdPartyWarehouse(
  t: TestApp,
  merchantId: string,
  options: { provider: Provider; code: string; name: string; integrationId?: string; integrationStatus?: 'ACTIVE' | 'DISABLED' },
) {
  const integrationId = options.integrationId ?? (await createIntegration(t, merchantId, options.provider, options.integrationStatus)).id;
  const warehouse = await t.db.prisma.warehouse.create({
    data: { merchantId, integrationId, kind: 'THIRD_PARTY', provider: options.provider, providerCode: options.code, name: options.name },
  });
  return { ...warehouse, globalId: encodeGlobalID('Warehouse', warehouse.id) };
}
