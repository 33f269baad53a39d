// Master SKU: node type, filtered and sorted connection, create and update mutations.
import { z } from 'zod';
import {
  createMasterSku,
  MASTER_SKU_ERROR_CODES,
  masterSkuWhere,
  updateMasterSku,
} from '../services/master-sku.service.ts';
import type { InboundList as InboundListModel, MasterSku as MasterSkuModel } from '../generated/prisma/client.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { MasterSkuStatus } from './enums.ts';
import { decodeNodeId } from './global-id.ts';
import { InboundList } from './inbound.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineSort } from './sorting.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

export const MasterSku = builder.prismaNode('MasterSku', {
  ...tenantNode,
  fields: (t) => ({
    sku: t.exposeString('sku'),
    name: t.exposeString('name'),
    status: t.expose('status', { type: MasterSkuStatus }),
    barcode: t.exposeString('barcode', { nullable: true }),
    weightGrams: t.exposeInt('weightGrams', { nullable: true }),
    lengthMm: t.exposeInt('lengthMm', { nullable: true }),
    widthMm: t.exposeInt('widthMm', { nullable: true }),
    heightMm: t.exposeInt('heightMm', { nullable: true }),
    declaredValueCents: t.exposeInt('declaredValueCents', {
      nullable: true,
      description: 'Customs value in US cents.',
    }),
    declaredName: t.exposeString('declaredName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const MasterSkuFilter = builder.inputType('MasterSkuFilter', {
  fields: (t) => ({
    text: t.string({
      description: 'Matches SKU or name (contains, case-insensitive) or the exact barcode.',
      validate: z.string().max(200, 'must be at most 200 characters'),
    }),
    status: t.field({ type: MasterSkuStatus }),
  }),
});

const MasterSkuSort = defineSort('MasterSkuSort', { SKU: 'sku', NAME: 'name', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' });

builder.queryFields((t) => ({
  masterSkus: t.prismaConnection(
    {
      type: 'MasterSku',
      cursor: 'id',
      authScopes: { merchantRead: true },
      validate: pageSizeLimit,
      args: {
        filter: t.arg({ type: MasterSkuFilter }),
        sortBy: t.arg({ type: MasterSkuSort.input, description: 'Default: newest first.' }),
      },
      resolve: (query, _parent, args, ctx) =>
        ctx.db.prisma.masterSku.findMany({ ...query, where: masterSkuWhere(ctx, args.filter), orderBy: MasterSkuSort.orderBy(args.sortBy) }),
      totalCount: (_parent, args, ctx) => ctx.db.prisma.masterSku.count({ where: masterSkuWhere(ctx, args.filter) }),
    },
    {},
  ),
}));

const MasterSkuUserError = defineUserErrorType(
  'MasterSkuUserError',
  MASTER_SKU_ERROR_CODES,
  'A problem with a Master SKU input.',
);

const AddToWarehouseInput = builder.inputType('AddToWarehouseInput', {
  fields: (t) => ({
    warehouseId: t.id({ required: true }),
    initialQuantity: t.int({
      description:
        'Own warehouse: added to stock now. 3PL warehouse: becomes an inbound list; stock rises when the provider receives it.',
    }),
  }),
});

const CreateMasterSkuInput = builder.inputType('CreateMasterSkuInput', {
  fields: (t) => ({
    addToWarehouses: t.field({
      type: [AddToWarehouseInput],
      description: 'Place the new Master SKU in these warehouses (at most 50), in the same transaction.',
    }),
    sku: t.string({ required: true, description: 'Unique per merchant; letters, digits and . _ - /.' }),
    name: t.string({ required: true }),
    barcode: t.string(),
    weightGrams: t.int(),
    lengthMm: t.int(),
    widthMm: t.int(),
    heightMm: t.int(),
    declaredValueCents: t.int({ description: 'Customs value in US cents.' }),
    declaredName: t.string(),
  }),
});

const UpdateMasterSkuInput = builder.inputType('UpdateMasterSkuInput', {
  description: 'Fields to change; omitted fields stay as they are, null clears an optional one.',
  fields: (t) => ({
    sku: t.string(),
    name: t.string(),
    status: t.field({ type: MasterSkuStatus }),
    barcode: t.string(),
    weightGrams: t.int(),
    lengthMm: t.int(),
    widthMm: t.int(),
    heightMm: t.int(),
    declaredValueCents: t.int(),
    declaredName: t.string(),
  }),
});

const MasterSkuPayload = builder
  .objectRef<{ masterSku: MasterSkuModel | null; userErrors: UserError[] }>('MasterSkuPayload')
  .implement({
    fields: (t) => ({
      masterSku: t.field({ type: MasterSku, nullable: true, resolve: (payload) => payload.masterSku }),
      userErrors: t.field({ type: [MasterSkuUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

const CreateMasterSkuPayload = builder
  .objectRef<{ masterSku: MasterSkuModel | null; inboundLists: InboundListModel[]; userErrors: UserError[] }>(
    'CreateMasterSkuPayload',
  )
  .implement({
    fields: (t) => ({
      masterSku: t.field({ type: MasterSku, nullable: true, resolve: (payload) => payload.masterSku }),
      inboundLists: t.field({
        type: [InboundList],
        description: 'Inbound lists created for initial quantities aimed at 3PL warehouses.',
        resolve: (payload) => payload.inboundLists,
      }),
      userErrors: t.field({ type: [MasterSkuUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationFields((t) => ({
  createMasterSku: t.field({
    type: CreateMasterSkuPayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: CreateMasterSkuInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const addToWarehouses = input.addToWarehouses?.map((target) => ({
        ...target,
        warehouseId: decodeNodeId(String(target.warehouseId), 'Warehouse'),
      }));
      const result = await createMasterSku(ctx, { ...input, addToWarehouses });
      return result.ok
        ? { ...result.value, userErrors: [] }
        : { masterSku: null, inboundLists: [], userErrors: result.userErrors };
    },
  }),
  updateMasterSku: t.field({
    type: MasterSkuPayload,
    authScopes: { merchantWrite: true },
    args: {
      id: t.arg.globalID({ required: true, for: MasterSku }),
      input: t.arg({ type: UpdateMasterSkuInput, required: true }),
    },
    resolve: async (_root, { id, input }, ctx) => {
      return payloadOf('masterSku', await updateMasterSku(ctx, id.id, input));
    },
  }),
}));
