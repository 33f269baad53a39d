// Warehouses: the merchant's own, and 3PL ones created by binding a provider account.
import { z } from 'zod';
import type { Warehouse as WarehouseModel } from '../generated/prisma/client.ts';
import type { UserError } from '../services/user-errors.ts';
import {
  createOwnWarehouse,
  updateWarehouse,
  WAREHOUSE_ERROR_CODES,
  warehouseWhere,
} from '../services/warehouse.service.ts';
import { builder } from './builder.ts';
import { CountryCode, Provider, PushStatus, WarehouseKind, WarehouseStatus } from './enums.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineSort } from './sorting.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

export const Warehouse = builder.prismaNode('Warehouse', {
  ...tenantNode,
  fields: (t) => ({
    kind: t.expose('kind', { type: WarehouseKind }),
    provider: t.expose('provider', { type: Provider, nullable: true }),
    providerCode: t.exposeString('providerCode', { nullable: true, description: "The provider's warehouse code." }),
    name: t.exposeString('name'),
    status: t.expose('status', { type: WarehouseStatus }),
    autoSync: t.exposeBoolean('autoSync', { description: 'Stock is synced from the provider daily at 02:00 merchant time.' }),
    country: t.expose('country', { type: CountryCode, nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    products: t.relatedConnection('products', {
      cursor: 'id',
      totalCount: true,
      validate: pageSizeLimit,
      description: 'The Master SKUs placed in this warehouse.',
      args: { pushStatus: t.arg({ type: PushStatus }) },
      query: (args) => ({
        where: args.pushStatus ? { pushStatus: args.pushStatus } : {},
        orderBy: { id: 'asc' },
      }),
    }),
  }),
});

const WarehouseFilter = builder.inputType('WarehouseFilter', {
  fields: (t) => ({
    kind: t.field({ type: WarehouseKind }),
    provider: t.field({ type: Provider }),
    status: t.field({ type: WarehouseStatus }),
    text: t.string({ description: 'Matches the name or provider code.', validate: z.string().max(200) }),
  }),
});

const WarehouseSort = defineSort('WarehouseSort', { NAME: 'name', CREATED_AT: 'createdAt' });

builder.queryFields((t) => ({
  warehouses: t.prismaConnection({
    type: 'Warehouse',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: { filter: t.arg({ type: WarehouseFilter }), sortBy: t.arg({ type: WarehouseSort.input, description: 'Default: by name.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.warehouse.findMany({
        ...query,
        where: warehouseWhere(ctx, args.filter),
        orderBy: WarehouseSort.orderBy(args.sortBy ?? { field: 'NAME', direction: 'ASC' }),
      }),
    totalCount: (_root, args, ctx) => ctx.db.prisma.warehouse.count({ where: warehouseWhere(ctx, args.filter) }),
  }),
}));

const WarehouseUserError = defineUserErrorType('WarehouseUserError', WAREHOUSE_ERROR_CODES, 'A problem with a warehouse input.');

const CreateWarehouseInput = builder.inputType('CreateWarehouseInput', {
  description: "The merchant's own warehouse. 3PL warehouses are created by binding a provider account.",
  fields: (t) => ({
    name: t.string({ required: true }),
    country: t.field({ type: CountryCode }),
  }),
});

const UpdateWarehouseInput = builder.inputType('UpdateWarehouseInput', {
  description: 'Own warehouses: name, country, status. 3PL warehouses: autoSync only.',
  fields: (t) => ({
    name: t.string(),
    country: t.field({ type: CountryCode }),
    status: t.field({ type: WarehouseStatus }),
    autoSync: t.boolean(),
  }),
});

const WarehousePayload = builder
  .objectRef<{ warehouse: WarehouseModel | null; userErrors: UserError[] }>('WarehousePayload')
  .implement({
    fields: (t) => ({
      warehouse: t.field({ type: Warehouse, nullable: true, resolve: (payload) => payload.warehouse }),
      userErrors: t.field({ type: [WarehouseUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationFields((t) => ({
  createWarehouse: t.field({
    type: WarehousePayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: CreateWarehouseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return payloadOf('warehouse', await createOwnWarehouse(ctx, input));
    },
  }),
  updateWarehouse: t.field({
    type: WarehousePayload,
    authScopes: { merchantWrite: true },
    args: {
      id: t.arg.globalID({ required: true, for: Warehouse }),
      input: t.arg({ type: UpdateWarehouseInput, required: true }),
    },
    resolve: async (_root, { id, input }, ctx) => {
      return payloadOf('warehouse', await updateWarehouse(ctx, id.id, input));
    },
  }),
}));
