// bindEccang: verify the credentials with ECCANG first, then save the binding and one warehouse
// per ECCANG warehouse, then (optionally) subscribe to its push messages.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import { uuidv7 } from '../db/uuidv7.ts';
import { eccangFingerprint, eccangWarehouseName, randomToken } from '../domain/integration.ts';
import type { Integration } from '../generated/prisma/client.ts';
import { checkEccangBaseUrl } from '../providers/eccang/client.ts';
import type { EccangCredentials } from '../providers/registry.ts';
import type { ProviderWarehouse } from '../providers/types.ts';
import { maskSecret } from '../secrets.ts';
import { type IntegrationErrorCode, providerFailure } from './integration-errors.ts';
import { recordIntegrationStatus } from './integration-status.ts';
import { reconcileWarehouses, warehouseNameConflicts } from './integration-warehouses.ts';
import { subscribeToPush } from './integration-push.ts';
import { findBindingByIdentity, takenByAnotherMerchant } from './binding-identity.ts';
import { fail, parseInput, retryOnUniqueViolation, type ServiceResult, succeed } from './user-errors.ts';

const secret = z.string().trim().min(1, 'must not be blank').max(256, 'must be at most 256 characters');

const bindEccangSchema = z.object({
  baseUrl: z.string().trim().min(1, 'must not be blank').max(500, 'must be at most 500 characters'),
  appToken: secret,
  appKey: secret,
  customerCode: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(40, 'must be at most 40 characters')
    .regex(/^[A-Za-z0-9_-]+$/, 'may hold letters, digits, "-" and "_" only'),
  subscribeNews: z.boolean().nullish().transform((value) => value ?? false),
  name: z.string().trim().min(1, 'must not be blank').max(120, 'must be at most 120 characters').nullish(),
});

export type BindEccangInput = z.input<typeof bindEccangSchema>;

type Result = ServiceResult<Integration, IntegrationErrorCode>;

export function bindEccang(ctx: RequestContext, input: BindEccangInput): Promise<Result> {
  return retryOnUniqueViolation(() => bindEccangOnce(ctx, input));
}

async function bindEccangOnce(ctx: RequestContext, input: BindEccangInput): Promise<Result> {
  const merchantId = merchantIdOf(ctx);
  const parsed = parseInput(bindEccangSchema, input, ['input'], 'INVALID' as IntegrationErrorCode);
  if (!parsed.ok) return parsed;
  const { appToken, appKey, customerCode, subscribeNews } = parsed.value;
  const url = checkEccangBaseUrl(parsed.value.baseUrl, ctx.providers.endpoints.eccang);
  if (!url.ok) return fail({ field: ['input', 'baseUrl'], message: `baseUrl ${url.reason}`, code: 'BASE_URL_NOT_ALLOWED' });

  const fingerprint = eccangFingerprint(appToken, appKey);
  const existing = await findBindingByIdentity(ctx.db, merchantId, 'ECCANG', fingerprint);
  if (existing && existing.merchantId !== merchantId) {
    return takenByAnotherMerchant(['input', 'appToken'], 'This ECCANG app token and key are already bound to another merchant account');
  }

  const credentials: EccangCredentials = { provider: 'ECCANG', appToken, appKey };
  const binding = { provider: 'ECCANG' as const, baseUrl: url.baseUrl, customerCode };
  let listed: ProviderWarehouse[];
  try {
    listed = await ctx.providers.forCredentials(binding, credentials, existing?.id ?? null).listWarehouses();
  } catch (error) {
    return fail(providerFailure(error, 'ECCANG', ['input', 'appKey']));
  }

  const id = existing?.id ?? uuidv7();
  const nameOf = (code: string) => eccangWarehouseName(code, customerCode);
  const saved = await ctx.db.prisma.$transaction(async (tx) => {
    const conflicts = await warehouseNameConflicts(tx, { merchantId, integrationId: id, provider: 'ECCANG' }, listed.map((w) => nameOf(w.code)));
    if (conflicts.length > 0) return fail(...conflicts);
    const data = {
      ...binding,
      name: parsed.value.name ?? existing?.name ?? `ECCANG ${customerCode} @ ${new URL(url.baseUrl).host}`,
      status: 'ACTIVE' as const,
      credentialsEncrypted: ctx.providers.seal(id, credentials),
      credentialsHint: maskSecret(appKey),
      credentialFingerprint: fingerprint,
      lastVerifiedAt: new Date(),
      lastError: null,
      disabledAt: null,
    };
    const integration = existing
      ? await tx.integration.update({ where: { id }, data })
      : await tx.integration.create({ data: { ...data, id, merchantId, webhookToken: randomToken() } });
    if (existing?.status === 'UNBOUND') await tx.warehouse.updateMany({ where: { integrationId: id, status: 'DISABLED' }, data: { status: 'ACTIVE' } });
    await recordIntegrationStatus(tx, { merchantId, integrationId: id, from: existing?.status ?? null, to: 'ACTIVE', source: 'USER' });
    await reconcileWarehouses(tx, { merchantId, integrationId: id, provider: 'ECCANG' }, listed, nameOf, { markVanished: true });
    return succeed(integration);
  });
  if (!saved.ok) return saved;
  return succeed(await subscribeToPush(ctx, saved.value, subscribeNews));
}
