// Integrations: bindings to ECCANG / JD accounts, and what a merchant does with them.
import type { Integration as IntegrationModel } from '../generated/prisma/client.ts';
import { bindEccang } from '../services/eccang-binding.service.ts';
import { INTEGRATION_ERROR_CODES } from '../services/integration-errors.ts';
import {
  disableIntegration,
  enableIntegration,
  rotateIntegrationCredentials,
  syncWarehouses,
  unbindIntegration,
} from '../services/integration.service.ts';
import { bindJd, completeJdAuthorization } from '../services/jd-binding.service.ts';
import { merchantIdOf } from '../context.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { IntegrationStatus, JdBindingMode, Provider, StatusDelivery } from './enums.ts';
import { pageSizeLimit } from './pagination.ts';
import { tenantNode } from './tenant-node.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';

export const Integration = builder.prismaNode('Integration', {
  ...tenantNode,
  description: 'A bound ECCANG or JD account. Credentials are never returned: `credentialsHint` shows their last characters.',
  fields: (t) => ({
    provider: t.expose('provider', { type: Provider }),
    name: t.exposeString('name'),
    status: t.expose('status', { type: IntegrationStatus }),
    statusDelivery: t.expose('statusDelivery', { type: StatusDelivery }),
    jdMode: t.expose('jdMode', { type: JdBindingMode, nullable: true }),
    baseUrl: t.exposeString('baseUrl', { nullable: true, description: "ECCANG: the 3PL's own host." }),
    customerCode: t.exposeString('customerCode', { nullable: true, description: 'ECCANG customer code; JD department number.' }),
    jdPin: t.string({ nullable: true, resolve: (integration) => (integration.provider === 'JD' ? integration.accountId : null) }),
    credentialsHint: t.exposeString('credentialsHint', { description: 'The credentials, masked (e.g. ••••3f9a).' }),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime', nullable: true, description: 'JD: when the OAuth token expires (it is refreshed before).' }),
    lastVerifiedAt: t.expose('lastVerifiedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    warehouses: t.relatedConnection('warehouses', {
      cursor: 'id',
      totalCount: true,
      validate: pageSizeLimit,
      query: () => ({ orderBy: { name: 'asc' } }),
    }),
  }),
});

builder.prismaObjectField('Warehouse', 'integration', (t) =>
  t.relation('integration', { nullable: true, description: 'The binding a 3PL warehouse comes from.' }),
);

builder.queryFields((t) => ({
  integrations: t.prismaConnection({
    type: 'Integration',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: { provider: t.arg({ type: Provider }), status: t.arg({ type: IntegrationStatus }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.integration.findMany({ ...query, where: integrationWhere(merchantIdOf(ctx), args), orderBy: { createdAt: 'asc' } }),
    totalCount: (_root, args, ctx) => ctx.db.prisma.integration.count({ where: integrationWhere(merchantIdOf(ctx), args) }),
  }),
}));

function integrationWhere(merchantId: string, args: { provider?: IntegrationModel['provider'] | null; status?: IntegrationModel['status'] | null }) {
  return { merchantId, ...(args.provider ? { provider: args.provider } : {}), ...(args.status ? { status: args.status } : {}) };
}

const IntegrationUserError = defineUserErrorType('IntegrationUserError', INTEGRATION_ERROR_CODES, 'A problem binding or managing an integration.');

const IntegrationPayload = builder
  .objectRef<{ integration: IntegrationModel | null; userErrors: UserError[] }>('IntegrationPayload')
  .implement({
    fields: (t) => ({
      integration: t.field({ type: Integration, nullable: true, resolve: (payload) => payload.integration }),
      userErrors: t.field({ type: [IntegrationUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

type AuthorizationResult = { integration: IntegrationModel; authorizationUrl: string | null } | null;

const IntegrationAuthorizationPayload = builder
  .objectRef<{ result: AuthorizationResult; userErrors: UserError[] }>('IntegrationAuthorizationPayload')
  .implement({
    fields: (t) => ({
      integration: t.field({ type: Integration, nullable: true, resolve: (payload) => payload.result?.integration ?? null }),
      authorizationUrl: t.string({
        nullable: true,
        description: "JD: open this URL (JD's login page) to authorise; JD then redirects to the gateway's /oauth/jd/callback.",
        resolve: (payload) => payload.result?.authorizationUrl ?? null,
      }),
      userErrors: t.field({ type: [IntegrationUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

const SyncWarehousesPayload = builder
  .objectRef<{ result: { integration: IntegrationModel; added: number; vanished: number; restored: number } | null; userErrors: UserError[] }>('SyncWarehousesPayload')
  .implement({
    fields: (t) => ({
      integration: t.field({ type: Integration, nullable: true, resolve: (payload) => payload.result?.integration ?? null }),
      added: t.int({ description: 'Warehouses new at the provider, created.', resolve: (payload) => payload.result?.added ?? 0 }),
      vanished: t.int({ description: 'Warehouses the provider no longer lists, marked VANISHED (never deleted).', resolve: (payload) => payload.result?.vanished ?? 0 }),
      restored: t.int({ description: 'VANISHED warehouses listed again, back to ACTIVE.', resolve: (payload) => payload.result?.restored ?? 0 }),
      userErrors: t.field({ type: [IntegrationUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

const BindEccangInput = builder.inputType('BindEccangInput', {
  fields: (t) => ({
    baseUrl: t.string({ required: true, description: "The 3PL's ECCANG host, e.g. https://wms.example.com (https in production)." }),
    appToken: t.string({ required: true }),
    appKey: t.string({ required: true }),
    customerCode: t.string({ required: true, description: 'Names the warehouses: <warehouseCode><customerCode>.' }),
    subscribeNews: t.boolean({ description: 'Receive status pushes (webhooks); otherwise statuses are polled. Default false.' }),
    name: t.string({ description: 'A label; default "ECCANG <customerCode> @ <host>".' }),
  }),
});

const BindJdInput = builder.inputType('BindJdInput', {
  fields: (t) => ({
    mode: t.field({ type: JdBindingMode, required: true }),
    pin: t.string({ required: true, description: 'The JD account PIN; one PIN binds to one merchant.' }),
    deptNo: t.string({ required: true, description: 'Department number (EBU…).' }),
    warehouseNo: t.string({ required: true }),
    appKey: t.string({ description: 'BASIC only: your JD app key.' }),
    appSecret: t.string({ description: 'BASIC only: your JD app secret.' }),
    subscribeMessages: t.boolean({ description: 'Receive status messages; otherwise statuses are polled. Default false.' }),
  }),
});

const CompleteJdAuthorizationInput = builder.inputType('CompleteJdAuthorizationInput', {
  description: "For API clients that handle JD's redirect themselves: the `state` and `code` JD sent back.",
  fields: (t) => ({
    state: t.string({ required: true }),
    code: t.string({ required: true }),
  }),
});

const RotateIntegrationCredentialsInput = builder.inputType('RotateIntegrationCredentialsInput', {
  description: 'ECCANG: appToken + appKey (verified before they replace the old ones). JD: nothing (authorise again) or appKey + appSecret (switch to your own app); returns an authorizationUrl.',
  fields: (t) => ({
    appToken: t.string(),
    appKey: t.string(),
    appSecret: t.string(),
  }),
});

builder.mutationFields((t) => ({
  bindEccang: t.field({
    type: IntegrationPayload,
    authScopes: { merchantWrite: true },
    description: 'Verifies the credentials with ECCANG, then creates the integration and one warehouse per ECCANG warehouse. Binding the same credentials again updates the integration.',
    args: { input: t.arg({ type: BindEccangInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payloadOf('integration', await bindEccang(ctx, input)),
  }),
  bindJd: t.field({
    type: IntegrationAuthorizationPayload,
    authScopes: { merchantWrite: true },
    description: 'Starts a JD binding: returns the JD login URL. The binding becomes ACTIVE when JD redirects back (or completeJdAuthorization is called).',
    args: { input: t.arg({ type: BindJdInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payloadOf('result', await bindJd(ctx, input)),
  }),
  completeJdAuthorization: t.field({
    type: IntegrationPayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: CompleteJdAuthorizationInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payloadOf('integration', await completeJdAuthorization(ctx, { ...input, merchantId: merchantIdOf(ctx) })),
  }),
  syncWarehouses: t.field({
    type: SyncWarehousesPayload,
    authScopes: { merchantWrite: true },
    args: { integrationId: t.arg.globalID({ required: true, for: Integration }) },
    resolve: async (_root, { integrationId }, ctx) => payloadOf('result', await syncWarehouses(ctx, integrationId.id)),
  }),
  rotateIntegrationCredentials: t.field({
    type: IntegrationAuthorizationPayload,
    authScopes: { merchantWrite: true },
    args: {
      integrationId: t.arg.globalID({ required: true, for: Integration }),
      input: t.arg({ type: RotateIntegrationCredentialsInput, required: true }),
    },
    resolve: async (_root, { integrationId, input }, ctx) => payloadOf('result', await rotateIntegrationCredentials(ctx, integrationId.id, input)),
  }),
  disableIntegration: t.field({
    type: IntegrationPayload,
    authScopes: { merchantWrite: true },
    description: 'Stops pushes and polls; lists, stock and history stay. Orders shipping from its warehouses become ineligible for push.',
    args: { integrationId: t.arg.globalID({ required: true, for: Integration }) },
    resolve: async (_root, { integrationId }, ctx) => payloadOf('integration', await disableIntegration(ctx, integrationId.id)),
  }),
  enableIntegration: t.field({
    type: IntegrationPayload,
    authScopes: { merchantWrite: true },
    description: 'Verifies the credentials again, then resumes work.',
    args: { integrationId: t.arg.globalID({ required: true, for: Integration }) },
    resolve: async (_root, { integrationId }, ctx) => payloadOf('integration', await enableIntegration(ctx, integrationId.id)),
  }),
  unbindIntegration: t.field({
    type: IntegrationPayload,
    authScopes: { merchantWrite: true },
    description: 'Forgets the credentials (another merchant may then bind them); warehouses are disabled, records stay.',
    args: { integrationId: t.arg.globalID({ required: true, for: Integration }) },
    resolve: async (_root, { integrationId }, ctx) => payloadOf('integration', await unbindIntegration(ctx, integrationId.id)),
  }),
}));
