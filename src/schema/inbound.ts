// Inbound lists: stock entry into 3PL warehouses, with push and provider status.
import { inboundListWhere } from '../services/inbound.service.ts';
import { builder } from './builder.ts';
import { InboundSource, InboundStatus, PushStatus } from './enums.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineSort } from './sorting.ts';
import { Warehouse } from './warehouse.ts';
import { tenantNode } from './tenant-node.ts';

export const InboundList = builder.prismaNode('InboundList', {
  ...tenantNode,
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Our list code, sent to the provider as its reference number.' }),
    source: t.expose('source', { type: InboundSource }),
    warehouse: t.relation('warehouse'),
    pushStatus: t.expose('pushStatus', { type: PushStatus }),
    status: t.expose('status', { type: InboundStatus, description: "The provider's inbound status, normalised." }),
    providerStatusRaw: t.exposeString('providerStatusRaw', { nullable: true, description: "The provider's own status value." }),
    providerRef: t.exposeString('providerRef', { nullable: true, description: 'ECCANG receiving_code / JD poOrderNo.' }),
    lastPushError: t.exposeString('lastPushError', { nullable: true }),
    lines: t.relation('lines', { query: { orderBy: { id: 'asc' } } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('InboundLine', {
  fields: (t) => ({
    masterSku: t.relation('masterSku'),
    quantity: t.exposeInt('quantity'),
    receivedQuantity: t.exposeInt('receivedQuantity'),
  }),
});

const InboundListFilter = builder.inputType('InboundListFilter', {
  fields: (t) => ({
    warehouseId: t.globalID({ for: Warehouse }),
    status: t.field({ type: InboundStatus }),
    pushStatus: t.field({ type: PushStatus }),
    source: t.field({ type: InboundSource }),
  }),
});

const InboundListSort = defineSort('InboundListSort', { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', CODE: 'code' });

builder.queryFields((t) => ({
  inboundLists: t.prismaConnection({
    type: 'InboundList',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: {
      filter: t.arg({ type: InboundListFilter }),
      sortBy: t.arg({ type: InboundListSort.input, description: 'Default: newest first.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.inboundList.findMany({ ...query, where: inboundListWhere(ctx, plainFilter(args.filter)), orderBy: InboundListSort.orderBy(args.sortBy) }),
    totalCount: (_root, args, ctx) => ctx.db.prisma.inboundList.count({ where: inboundListWhere(ctx, plainFilter(args.filter)) }),
  }),
}));

const plainFilter = (filter: typeof InboundListFilter.$inferInput | null | undefined) =>
  filter ? { ...filter, warehouseId: filter.warehouseId?.id ?? null } : null;
