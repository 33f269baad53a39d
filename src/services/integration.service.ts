// A binding's life after it is made: warehouse sync, credential rotation, disable / enable, unbind.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import { eccangFingerprint, eccangWarehouseName, jdWarehouseName, releasedFingerprint } from '../domain/integration.ts';
import type { Integration, Prisma } from '../generated/prisma/client.ts';
import type { IntegrationStatus, Provider } from '../generated/prisma/enums.ts';
import type { EccangCredentials } from '../providers/registry.ts';
import { ProviderError } from '../providers/types.ts';
import { maskSecret } from '../secrets.ts';
import { takenByAnotherMerchant } from './binding-identity.ts';
import { type IntegrationErrorCode, providerFailure } from './integration-errors.ts';
import { markAuthFailed, recordIntegrationStatus } from './integration-status.ts';
import { reconcileWarehouses, warehouseNameConflicts, type WarehouseReconciliation } from './integration-warehouses.ts';
import { bindJd } from './jd-binding.service.ts';
import { fail, parseInput, type ServiceResult, succeed } from './user-errors.ts';

type Result<T> = ServiceResult<T, IntegrationErrorCode>;

const notFound = () => fail<IntegrationErrorCode>({ field: ['integrationId'], message: 'No such integration', code: 'NOT_FOUND' });
const wrongStatus = (status: IntegrationStatus, action: string) =>
  fail<IntegrationErrorCode>({ field: ['integrationId'], message: `An integration that is ${status} cannot ${action}`, code: 'WRONG_STATUS' });

async function findOwn(ctx: RequestContext, id: string): Promise<Integration | null> {
  return ctx.db.prisma.integration.findUnique({ where: { id, merchantId: merchantIdOf(ctx) } });
}

/** Moves the status (with its history row) unless it is already there. */
async function moveStatus(
  ctx: RequestContext,
  integration: Integration,
  to: IntegrationStatus,
  data: Prisma.IntegrationUpdateInput = {},
  detail?: Record<string, string | null>,
): Promise<Integration> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const updated = await tx.integration.update({ where: { id: integration.id }, data: { ...data, status: to } });
    await recordIntegrationStatus(tx, { merchantId: integration.merchantId, integrationId: integration.id, from: integration.status, to, source: 'USER', detail });
    return updated;
  });
}

/** A refused credential turns the binding AUTH_FAILED, so pushes stop until it is fixed. */
async function noteProviderFailure(ctx: RequestContext, integration: Integration, error: unknown): Promise<void> {
  if (!(error instanceof ProviderError)) return;
  if (error.code === 'AUTH' && integration.status === 'ACTIVE') {
    await ctx.db.prisma.$transaction((tx) => markAuthFailed(tx, { merchantId: integration.merchantId, integrationId: integration.id, reason: error.message }));
  } else if (error.code === 'AUTH') {
    await moveStatus(ctx, integration, 'AUTH_FAILED', { lastError: error.message }, { reason: error.message });
  } else {
    await ctx.db.prisma.integration.update({ where: { id: integration.id }, data: { lastError: error.message } });
  }
}

export async function syncWarehouses(
  ctx: RequestContext,
  integrationId: string,
): Promise<Result<{ integration: Integration } & WarehouseReconciliation>> {
  const integration = await findOwn(ctx, integrationId);
  if (!integration) return notFound();
  if (integration.status !== 'ACTIVE') return wrongStatus(integration.status, 'sync its warehouses');
  let listed;
  try {
    listed = await (await ctx.providers.forIntegration(integration)).listWarehouses();
  } catch (error) {
    await noteProviderFailure(ctx, integration, error);
    return fail(providerFailure(error, integration.provider, null));
  }
  const target = { merchantId: integration.merchantId, integrationId, provider: integration.provider };
  const bound = await ctx.db.prisma.warehouse.findMany({ where: { integrationId }, select: { providerCode: true } });
  // A JD binding authorises named warehouses only; other warehouses of the department are not the merchant's.
  if (integration.provider === 'JD') listed = listed.filter((w) => bound.some((b) => b.providerCode === w.code));
  const nameOf = warehouseNamer(integration);
  return ctx.db.prisma.$transaction(async (tx) => {
    const known = new Set(bound.map((b) => b.providerCode));
    const conflicts = await warehouseNameConflicts(tx, target, listed.filter((w) => !known.has(w.code)).map((w) => nameOf(w.code)));
    if (conflicts.length > 0) return fail(...conflicts);
    const counts = await reconcileWarehouses(tx, target, listed, nameOf, { markVanished: true });
    const updated = await tx.integration.update({ where: { id: integrationId }, data: { lastVerifiedAt: new Date(), lastError: null } });
    return succeed({ integration: updated, ...counts });
  });
}

function warehouseNamer(integration: Pick<Integration, 'provider' | 'customerCode' | 'accountId'>): (code: string) => string {
  const customerCode = integration.customerCode ?? '';
  return integration.provider === 'ECCANG'
    ? (code) => eccangWarehouseName(code, customerCode)
    : (code) => jdWarehouseName(code, customerCode, integration.accountId ?? '');
}

const rotateSchema = z.object({
  appToken: z.string().trim().min(1, 'must not be blank').max(256).nullish(),
  appKey: z.string().trim().min(1, 'must not be blank').max(256).nullish(),
  appSecret: z.string().trim().min(1, 'must not be blank').max(256).nullish(),
});
export type RotateCredentialsInput = z.input<typeof rotateSchema>;

/**
 * ECCANG: the new token+key are verified, then replace the old ones. JD: a new authorization
 * (with a new own app when appKey+appSecret are given) — the old tokens work until it completes.
 */
export async function rotateIntegrationCredentials(
  ctx: RequestContext,
  integrationId: string,
  input: RotateCredentialsInput,
): Promise<Result<{ integration: Integration; authorizationUrl: string | null }>> {
  const parsed = parseInput(rotateSchema, input, ['input'], 'INVALID' as IntegrationErrorCode);
  if (!parsed.ok) return parsed;
  const integration = await findOwn(ctx, integrationId);
  if (!integration) return notFound();
  if (integration.status === 'UNBOUND') return wrongStatus(integration.status, 'rotate its credentials');
  return integration.provider === 'ECCANG' ? rotateEccang(ctx, integration, parsed.value) : rotateJd(ctx, integration, parsed.value);
}

async function rotateEccang(ctx: RequestContext, integration: Integration, input: z.output<typeof rotateSchema>) {
  if (!input.appToken || !input.appKey || input.appSecret) {
    return fail<IntegrationErrorCode>(
      ...(['appToken', 'appKey'] as const)
        .filter((field) => !input[field])
        .map((field) => ({ field: ['input', field], message: `${field} is required for ECCANG`, code: 'INVALID' as const })),
      ...(input.appSecret ? [{ field: ['input', 'appSecret'], message: 'appSecret is for JD bindings', code: 'INVALID' as const }] : []),
    );
  }
  const fingerprint = eccangFingerprint(input.appToken, input.appKey);
  const holder = await ctx.db.prisma.integration.findUnique({
    where: { provider_credentialFingerprint: { provider: 'ECCANG', credentialFingerprint: fingerprint } },
    select: { id: true, merchantId: true },
  });
  if (holder && holder.id !== integration.id) {
    const message = holder.merchantId === integration.merchantId ? 'These credentials belong to another of your integrations' : 'These credentials are bound to another merchant account';
    return takenByAnotherMerchant(['input', 'appToken'], message);
  }
  const credentials: EccangCredentials = { provider: 'ECCANG', appToken: input.appToken, appKey: input.appKey };
  try {
    await ctx.providers.forCredentials(integration, credentials, integration.id).verifyCredentials();
  } catch (error) {
    return fail(providerFailure(error, 'ECCANG', ['input', 'appKey']));
  }
  const data = {
    credentialFingerprint: fingerprint,
    credentialsEncrypted: ctx.providers.seal(integration.id, credentials),
    credentialsHint: maskSecret(input.appKey),
    lastVerifiedAt: new Date(),
    lastError: null,
  };
  // A binding that failed on its old credentials works again; a disabled one stays disabled.
  const updated = integration.status === 'AUTH_FAILED' ? await moveStatus(ctx, integration, 'ACTIVE', data) : await ctx.db.prisma.integration.update({ where: { id: integration.id }, data });
  return succeed({ integration: updated, authorizationUrl: null });
}

async function rotateJd(ctx: RequestContext, integration: Integration, input: z.output<typeof rotateSchema>) {
  if (input.appToken) return fail<IntegrationErrorCode>({ field: ['input', 'appToken'], message: 'appToken is for ECCANG bindings', code: 'INVALID' });
  const warehouse = await ctx.db.prisma.warehouse.findFirst({ where: { integrationId: integration.id }, orderBy: { createdAt: 'asc' } });
  const ownApp = Boolean(input.appKey || input.appSecret);
  const started = await bindJd(ctx, {
    mode: ownApp ? 'BASIC' : (integration.jdMode ?? 'QUICK'),
    pin: integration.accountId ?? '',
    deptNo: integration.customerCode ?? '',
    warehouseNo: warehouse?.providerCode ?? '',
    appKey: input.appKey,
    appSecret: input.appSecret,
    subscribeMessages: integration.statusDelivery === 'PUSH',
  });
  if (!started.ok) return started;
  return succeed({ integration: started.value.integration, authorizationUrl: started.value.authorizationUrl });
}

/** Stops pushes and polls; lists, stock and history stay. */
export async function disableIntegration(ctx: RequestContext, integrationId: string): Promise<Result<Integration>> {
  const integration = await findOwn(ctx, integrationId);
  if (!integration) return notFound();
  if (integration.status === 'DISABLED') return succeed(integration);
  if (integration.status === 'UNBOUND') return wrongStatus(integration.status, 'be disabled');
  return succeed(await moveStatus(ctx, integration, 'DISABLED', { disabledAt: new Date() }));
}

/** Verifies the credentials again before work flows to the provider. */
export async function enableIntegration(ctx: RequestContext, integrationId: string): Promise<Result<Integration>> {
  const integration = await findOwn(ctx, integrationId);
  if (!integration) return notFound();
  if (integration.status === 'ACTIVE') return succeed(integration);
  if (integration.status !== 'DISABLED' && integration.status !== 'AUTH_FAILED') return wrongStatus(integration.status, 'be enabled');
  try {
    await (await ctx.providers.forIntegration(integration)).verifyCredentials();
  } catch (error) {
    await noteProviderFailure(ctx, integration, error);
    return fail(providerFailure(error, integration.provider, null));
  }
  return succeed(await moveStatus(ctx, integration, 'ACTIVE', { disabledAt: null, lastError: null, lastVerifiedAt: new Date() }));
}

/**
 * Forgets the credentials and releases them for another binding; warehouses, lists and history
 * stay (warehouses disabled), so the merchant's records remain readable.
 */
export async function unbindIntegration(ctx: RequestContext, integrationId: string): Promise<Result<Integration>> {
  const integration = await findOwn(ctx, integrationId);
  if (!integration) return notFound();
  if (integration.status === 'UNBOUND') return succeed(integration);
  const emptied: Record<Provider, object> = { ECCANG: { provider: 'ECCANG', appToken: '', appKey: '' }, JD: { provider: 'JD', ownApp: null, accessToken: '', refreshToken: '' } };
  return ctx.db.prisma.$transaction(async (tx) => {
    await tx.warehouse.updateMany({ where: { integrationId }, data: { status: 'DISABLED' } });
    await tx.oAuthState.updateMany({ where: { integrationId, usedAt: null }, data: { usedAt: new Date() } });
    const updated = await tx.integration.update({
      where: { id: integrationId },
      data: {
        status: 'UNBOUND',
        credentialFingerprint: releasedFingerprint(integration.credentialFingerprint, integrationId),
        credentialsEncrypted: ctx.providers.seal(integrationId, emptied[integration.provider]),
        credentialsHint: '(unbound)',
        accessTokenExpiresAt: null,
        statusDelivery: 'POLL',
      },
    });
    await recordIntegrationStatus(tx, { merchantId: integration.merchantId, integrationId, from: integration.status, to: 'UNBOUND', source: 'USER' });
    return succeed(updated);
  });
}
