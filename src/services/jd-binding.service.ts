// bindJd starts JD's OAuth (QUICK: the platform's app; BASIC: the merchant's own); the callback
// or completeJdAuthorization exchanges the code, verifies the warehouse and activates the binding.
import { z } from 'zod';
import type { RequestContext } from '../context.ts';
import { merchantIdOf } from '../context.ts';
import type { Database } from '../db/database.ts';
import { uuidv7 } from '../db/uuidv7.ts';
import { jdFingerprint, jdWarehouseName, randomToken, sha256 } from '../domain/integration.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { JdBindingMode } from '../generated/prisma/enums.ts';
import { buildJdAuthorizeUrl } from '../providers/jd/oauth.ts';
import { exchangeJdAuthorizationCode, type JdApp, type JdCredentials, jdApp } from '../providers/registry.ts';
import type { ProviderWarehouse } from '../providers/types.ts';
import { maskSecret } from '../secrets.ts';
import { findBindingByIdentity, takenByAnotherMerchant } from './binding-identity.ts';
import { type IntegrationErrorCode, providerFailure } from './integration-errors.ts';
import { subscribeToPush } from './integration-push.ts';
import { recordIntegrationStatus } from './integration-status.ts';
import { reconcileWarehouses, warehouseNameConflicts } from './integration-warehouses.ts';
import type { ProviderAccess } from './provider-access.ts';
import { fail, parseInput, retryOnUniqueViolation, type ServiceResult, succeed, type UserError } from './user-errors.ts';

/** How long the merchant has to finish JD's login page. */
export const OAUTH_STATE_TTL_MS = 15 * 60_000;

const code = (label: string, pattern: RegExp, hint: string) =>
  z.string().trim().min(1, 'must not be blank').max(64, 'must be at most 64 characters').regex(pattern, `must be ${hint}`).describe(label);

const bindJdSchema = z
  .object({
    mode: z.enum(['QUICK', 'BASIC']),
    pin: z.string().trim().min(1, 'must not be blank').max(100, 'must be at most 100 characters'),
    deptNo: code('deptNo', /^EBU[A-Za-z0-9]+$/, 'a JD department number (EBU…)'),
    warehouseNo: code('warehouseNo', /^[A-Za-z0-9_-]+$/, 'a JD warehouse number (letters, digits, "-", "_")'),
    appKey: z.string().trim().min(1, 'must not be blank').max(128).nullish(),
    appSecret: z.string().trim().min(1, 'must not be blank').max(256).nullish(),
    subscribeMessages: z.boolean().nullish().transform((value) => value ?? false),
  })
  .superRefine((input, issues) => {
    for (const field of ['appKey', 'appSecret'] as const) {
      if (input.mode === 'BASIC' && !input[field]) issues.addIssue({ code: 'custom', path: [field], message: 'is required in BASIC mode (your own JD app)' });
      if (input.mode === 'QUICK' && input[field]) issues.addIssue({ code: 'custom', path: [field], message: "must be empty in QUICK mode (the platform's JD app is used)" });
    }
  });

export type BindJdInput = z.input<typeof bindJdSchema>;

/** What the OAuthState carries, sealed, until JD answers. */
interface PendingJdBinding {
  mode: JdBindingMode;
  pin: string;
  deptNo: string;
  warehouseNo: string;
  ownApp: JdApp | null;
}

const sealContext = (integrationId: string) => `oauth-state:${integrationId}`;

type BindJdResult = ServiceResult<{ integration: Integration; authorizationUrl: string }, IntegrationErrorCode>;

export function bindJd(ctx: RequestContext, input: BindJdInput): Promise<BindJdResult> {
  return retryOnUniqueViolation(() => bindJdOnce(ctx, input));
}

async function bindJdOnce(ctx: RequestContext, input: BindJdInput): Promise<BindJdResult> {
  const merchantId = merchantIdOf(ctx);
  const parsed = parseInput(bindJdSchema, input, ['input'], 'INVALID' as IntegrationErrorCode);
  if (!parsed.ok) return parsed;
  const { mode, pin, deptNo, warehouseNo, subscribeMessages } = parsed.value;
  const ownApp = mode === 'BASIC' ? { appKey: parsed.value.appKey!, appSecret: parsed.value.appSecret! } : null;
  let app: JdApp;
  try {
    app = jdApp(ctx.providers.endpoints, ownApp);
  } catch (error) {
    return fail(providerFailure(error, 'JD', ['input', 'mode']));
  }

  const fingerprint = jdFingerprint(pin);
  const existing = await findBindingByIdentity(ctx.db, merchantId, 'JD', fingerprint);
  if (existing && existing.merchantId !== merchantId) {
    return takenByAnotherMerchant(['input', 'pin'], `JD PIN "${pin}" is already bound to another merchant account`);
  }

  const state = randomToken();
  const integration = await ctx.db.prisma.$transaction(async (tx) => {
    const id = existing?.id ?? uuidv7();
    const pending: PendingJdBinding = { mode, pin, deptNo, warehouseNo, ownApp };
    if (existing?.status === 'UNBOUND') {
      await tx.integration.update({ where: { id }, data: { credentialFingerprint: fingerprint, status: 'PENDING_AUTHORIZATION' } });
      await recordIntegrationStatus(tx, { merchantId, integrationId: id, from: 'UNBOUND', to: 'PENDING_AUTHORIZATION', source: 'USER' });
    }
    const integration =
      (existing && (await tx.integration.findUniqueOrThrow({ where: { id } }))) ??
      (await tx.integration.create({
        data: {
          id,
          merchantId,
          provider: 'JD',
          name: `JD ${pin}`,
          status: 'PENDING_AUTHORIZATION',
          jdMode: mode,
          customerCode: deptNo,
          accountId: pin,
          credentialFingerprint: fingerprint,
          // No token yet: the binding cannot call JD until the authorization completes.
          credentialsEncrypted: ctx.providers.seal(id, { provider: 'JD', ownApp, accessToken: '', refreshToken: '' } satisfies JdCredentials),
          credentialsHint: '(awaiting authorization)',
          webhookToken: randomToken(),
        },
      }));
    if (!existing) await recordIntegrationStatus(tx, { merchantId, integrationId: id, from: null, to: 'PENDING_AUTHORIZATION', source: 'USER' });
    await tx.oAuthState.create({
      data: {
        merchantId,
        integrationId: id,
        stateHash: sha256(state),
        subscribeMessages,
        bindingSealed: ctx.providers.seal(sealContext(id), pending),
        expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
      },
    });
    return integration;
  });
  const authorizationUrl = buildJdAuthorizeUrl({
    baseUrl: ctx.providers.endpoints.jd.oauthUrl,
    appKey: app.appKey,
    redirectUri: ctx.providers.jdRedirectUri(),
    state,
  });
  return succeed({ integration, authorizationUrl });
}

export interface CompleteJdAuthorizationInput {
  state: string;
  code: string;
  /** The caller's merchant (GraphQL); the browser callback has none and relies on the state alone. */
  merchantId: string | null;
}

/** Exchanges the code, verifies the department's warehouse, stores the tokens, activates the binding. */
export async function completeJdAuthorization(
  deps: { db: Database; providers: ProviderAccess },
  input: CompleteJdAuthorizationInput,
): Promise<ServiceResult<Integration, IntegrationErrorCode>> {
  const stateError = (code: IntegrationErrorCode, message: string) => fail<IntegrationErrorCode>({ field: ['input', 'state'], message, code });
  const oauthState = input.state ? await deps.db.prisma.oAuthState.findUnique({ where: { stateHash: sha256(input.state) } }) : null;
  if (!oauthState || (input.merchantId && oauthState.merchantId !== input.merchantId)) {
    return stateError('STATE_INVALID', 'Unknown authorization state: start the binding again');
  }
  if (oauthState.usedAt) return stateError('STATE_USED', 'This authorization was already used: start the binding again');
  if (oauthState.expiresAt.getTime() < Date.now()) return stateError('STATE_EXPIRED', 'This authorization expired: start the binding again');
  const claimed = await deps.db.prisma.oAuthState.updateMany({ where: { id: oauthState.id, usedAt: null }, data: { usedAt: new Date() } });
  if (claimed.count === 0) return stateError('STATE_USED', 'This authorization was already used: start the binding again');

  const integrationId = oauthState.integrationId;
  const pending = deps.providers.unseal<PendingJdBinding>(sealContext(integrationId), oauthState.bindingSealed);
  const endpoints = deps.providers.endpoints;
  let credentials: JdCredentials;
  let expiresAt: Date;
  let listed: ProviderWarehouse[];
  try {
    const token = await exchangeJdAuthorizationCode(endpoints, jdApp(endpoints, pending.ownApp), input.code, deps.providers.recorder(integrationId));
    credentials = { provider: 'JD', ownApp: pending.ownApp, accessToken: token.accessToken, refreshToken: token.refreshToken };
    expiresAt = new Date(Date.now() + token.expiresIn * 1000);
    const provider = deps.providers.forCredentials({ provider: 'JD', baseUrl: null, customerCode: pending.deptNo }, credentials, integrationId);
    listed = await provider.listWarehouses();
  } catch (error) {
    const failure = providerFailure(error, 'JD', ['input', 'code']);
    if (failure.code === 'INVALID_CREDENTIALS') {
      return fail({ ...failure, code: 'AUTHORIZATION_REFUSED', message: `JD refused the authorization: ${failure.message}` });
    }
    return fail(failure);
  }
  const warehouse = listed.find((w) => w.code === pending.warehouseNo);
  if (!warehouse) {
    return fail<IntegrationErrorCode>({
      field: null,
      message: `JD department ${pending.deptNo} has no warehouse ${pending.warehouseNo}; check the warehouse number and bind again`,
      code: 'WAREHOUSE_NOT_FOUND',
    });
  }

  const saved = await deps.db.prisma.$transaction(async (tx) => {
    const current = await tx.integration.findUniqueOrThrow({ where: { id: integrationId } });
    const target = { merchantId: current.merchantId, integrationId, provider: 'JD' as const };
    // A binding keeps the warehouses it had and gains the one just authorised.
    const kept = await tx.warehouse.findMany({ where: { integrationId, status: { not: 'VANISHED' } }, select: { providerCode: true } });
    const bound = [warehouse, ...kept.filter((w) => w.providerCode !== warehouse.code).map((w) => ({ code: w.providerCode!, name: w.providerCode!, country: null }))];
    const nameOf = (code: string) => jdWarehouseName(code, pending.deptNo, pending.pin);
    const conflicts: UserError<IntegrationErrorCode>[] = await warehouseNameConflicts(tx, target, [nameOf(warehouse.code)]);
    if (conflicts.length > 0) return fail(...conflicts);
    const integration = await tx.integration.update({
      where: { id: integrationId },
      data: {
        status: 'ACTIVE',
        jdMode: pending.mode,
        customerCode: pending.deptNo,
        credentialsEncrypted: deps.providers.seal(integrationId, credentials),
        credentialsHint: maskSecret(credentials.accessToken),
        accessTokenExpiresAt: expiresAt,
        lastVerifiedAt: new Date(),
        lastError: null,
        disabledAt: null,
      },
    });
    await recordIntegrationStatus(tx, { ...target, from: current.status, to: 'ACTIVE', source: 'USER' });
    if (current.status === 'PENDING_AUTHORIZATION') await tx.warehouse.updateMany({ where: { integrationId, status: 'DISABLED' }, data: { status: 'ACTIVE' } });
    await reconcileWarehouses(tx, target, bound, nameOf, { markVanished: false });
    return succeed(integration);
  });
  if (!saved.ok) return saved;
  return succeed(await subscribeToPush(deps, saved.value, oauthState.subscribeMessages));
}
