// Stores (a merchant's shop on a sales channel) and their channel SKUs.
import { z } from 'zod';
import type { ChannelSku as ChannelSkuModel, Store as StoreModel } from '../generated/prisma/client.ts';
import { createStore, linkChannelSkus, renameStore, STORE_ERROR_CODES, storeWhere } from '../services/store.service.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { Channel, CountryCode } from './enums.ts';
import { decodeNodeId } from './global-id.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineSort } from './sorting.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

const decodeStoreId = (id: string) => decodeNodeId(id, 'Store');

export const Store = builder.prismaNode('Store', {
  ...tenantNode,
  fields: (t) => ({
    channel: t.expose('channel', { type: Channel }),
    country: t.expose('country', { type: CountryCode }),
    name: t.exposeString('name'),
    externalId: t.exposeString('externalId', { description: "The channel's own shop id." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    channelSkus: t.relatedConnection('channelSkus', {
      cursor: 'id',
      totalCount: true,
      validate: pageSizeLimit,
      query: () => ({ orderBy: { code: 'asc' } }),
    }),
  }),
});

export const ChannelSku = builder.prismaNode('ChannelSku', {
  ...tenantNode,
  description: "A store's listing; orders name it, and it links to the Master SKU it sells.",
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name', { nullable: true }),
    store: t.relation('store'),
    masterSku: t.relation('masterSku', { nullable: true }),
  }),
});

const StoreUserError = defineUserErrorType('StoreUserError', STORE_ERROR_CODES, 'A problem with a store or channel SKU input.');

const StoreFilter = builder.inputType('StoreFilter', {
  fields: (t) => ({
    channel: t.field({ type: Channel }),
    country: t.field({ type: CountryCode }),
    text: t.string({ description: 'Matches the name or the channel shop id.', validate: z.string().max(200) }),
  }),
});

const StoreSort = defineSort('StoreSort', { NAME: 'name', CREATED_AT: 'createdAt' });

builder.queryFields((t) => ({
  stores: t.prismaConnection({
    type: 'Store',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: { filter: t.arg({ type: StoreFilter }), sortBy: t.arg({ type: StoreSort.input, description: 'Default: by name.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.store.findMany({
        ...query,
        where: storeWhere(ctx, args.filter),
        orderBy: StoreSort.orderBy(args.sortBy ?? { field: 'NAME', direction: 'ASC' }),
      }),
    totalCount: (_root, args, ctx) => ctx.db.prisma.store.count({ where: storeWhere(ctx, args.filter) }),
  }),
}));

const CreateStoreInput = builder.inputType('CreateStoreInput', {
  fields: (t) => ({
    channel: t.field({ type: Channel, required: true }),
    country: t.field({ type: CountryCode, required: true }),
    name: t.string({ required: true }),
    externalId: t.string({ required: true, description: "The channel's shop id; unique per channel." }),
  }),
});

const UpdateStoreInput = builder.inputType('UpdateStoreInput', {
  fields: (t) => ({ name: t.string({ required: true }) }),
});

const ChannelSkuLinkInput = builder.inputType('ChannelSkuLinkInput', {
  fields: (t) => ({
    storeId: t.id({ required: true }),
    channelSkuCode: t.string({ required: true }),
    masterSku: t.string({ description: 'The Master SKU code to link to; null unlinks.' }),
  }),
});

const LinkChannelSkusInput = builder.inputType('LinkChannelSkusInput', {
  fields: (t) => ({ links: t.field({ type: [ChannelSkuLinkInput], required: true }) }),
});

const StorePayload = builder.objectRef<{ store: StoreModel | null; userErrors: UserError[] }>('StorePayload').implement({
  fields: (t) => ({
    store: t.field({ type: Store, nullable: true, resolve: (payload) => payload.store }),
    userErrors: t.field({ type: [StoreUserError], resolve: (payload) => payload.userErrors }),
  }),
});

const LinkChannelSkusPayload = builder
  .objectRef<{ channelSkus: ChannelSkuModel[]; userErrors: UserError[] }>('LinkChannelSkusPayload')
  .implement({
    fields: (t) => ({
      channelSkus: t.field({ type: [ChannelSku], resolve: (payload) => payload.channelSkus }),
      userErrors: t.field({ type: [StoreUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationFields((t) => ({
  createStore: t.field({
    type: StorePayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: CreateStoreInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return payloadOf('store', await createStore(ctx, input));
    },
  }),
  updateStore: t.field({
    type: StorePayload,
    authScopes: { merchantWrite: true },
    args: { id: t.arg.globalID({ required: true, for: Store }), input: t.arg({ type: UpdateStoreInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      return payloadOf('store', await renameStore(ctx, id.id, input.name));
    },
  }),
  linkChannelSkus: t.field({
    type: LinkChannelSkusPayload,
    description: 'Links channel SKUs to Master SKUs by code (creating channel SKUs not seen yet); all or nothing.',
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: LinkChannelSkusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const links = input.links.map((link) => ({ ...link, storeId: decodeStoreId(link.storeId), masterSku: link.masterSku ?? null }));
      const result = await linkChannelSkus(ctx, links);
      return result.ok ? { channelSkus: result.value, userErrors: [] } : { channelSkus: [], userErrors: result.userErrors };
    },
  }),
}));
