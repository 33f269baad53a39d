// WarehouseProduct: a Master SKU placed in a warehouse, with its push status to the provider.
import type { WarehouseProduct as WarehouseProductModel } from '../generated/prisma/client.ts';
import { repushProduct } from '../services/product-push.service.ts';
import type { UserError } from '../services/user-errors.ts';
import { addProductsToWarehouse, WAREHOUSE_PRODUCT_ERROR_CODES } from '../services/warehouse-product.service.ts';
import { builder } from './builder.ts';
import { PushStatus } from './enums.ts';
import { decodeNodeId } from './global-id.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

export const WarehouseProduct = builder.prismaNode('WarehouseProduct', {
  ...tenantNode,
  fields: (t) => ({
    warehouse: t.relation('warehouse'),
    masterSku: t.relation('masterSku'),
    pushStatus: t.expose('pushStatus', {
      type: PushStatus,
      description: 'NOT_REQUIRED in your own warehouses. In a 3PL warehouse: PENDING (queued, or retrying — see lastPushError), PUSHING, PUSHED, or FAILED (see lastPushError; fix and repushProduct).',
    }),
    providerSkuId: t.exposeString('providerSkuId', { nullable: true, description: "The provider's id for the product (JD goodsNo; ECCANG uses the SKU)." }),
    lastPushError: t.exposeString('lastPushError', {
      nullable: true,
      description: 'Why the last push attempt did not go through, or why the push waits; null once pushed.',
    }),
    pushedAt: t.expose('pushedAt', { type: 'DateTime', nullable: true, description: 'When the provider accepted the product.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('MasterSku', 'warehouseProducts', (t) =>
  t.relation('warehouseProducts', { description: 'The warehouses this Master SKU is placed in.', query: { orderBy: { id: 'asc' } } }),
);

const WarehouseProductUserError = defineUserErrorType(
  'WarehouseProductUserError',
  WAREHOUSE_PRODUCT_ERROR_CODES,
  'A problem with placing Master SKUs in a warehouse.',
);

const AddProductsToWarehouseInput = builder.inputType('AddProductsToWarehouseInput', {
  fields: (t) => ({
    warehouseId: t.id({ required: true }),
    masterSkuIds: t.idList({ required: true, description: 'Up to 1,000 Master SKUs; ones already placed are left as they are.' }),
  }),
});

const AddProductsToWarehousePayload = builder
  .objectRef<{ warehouse: { id: string } | null; products: WarehouseProductModel[]; newlyPlaced: number; userErrors: UserError[] }>(
    'AddProductsToWarehousePayload',
  )
  .implement({
    fields: (t) => ({
      warehouse: t.prismaField({
        type: 'Warehouse',
        nullable: true,
        resolve: (query, payload, _args, ctx) =>
          payload.warehouse ? ctx.db.prisma.warehouse.findUnique({ ...query, where: { id: payload.warehouse.id } }) : null,
      }),
      products: t.field({ type: [WarehouseProduct], resolve: (payload) => payload.products }),
      newlyPlaced: t.int({ resolve: (payload) => payload.newlyPlaced }),
      userErrors: t.field({ type: [WarehouseProductUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

const RepushProductPayload = builder.objectRef<{ warehouseProduct: WarehouseProductModel | null; userErrors: UserError[] }>('RepushProductPayload').implement({
  fields: (t) => ({
    warehouseProduct: t.field({ type: WarehouseProduct, nullable: true, resolve: (payload) => payload.warehouseProduct }),
    userErrors: t.field({ type: [WarehouseProductUserError], resolve: (payload) => payload.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  addProductsToWarehouse: t.field({
    type: AddProductsToWarehousePayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: AddProductsToWarehouseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const warehouseId = decodeNodeId(String(input.warehouseId), 'Warehouse');
      const result = await addProductsToWarehouse(ctx, {
        warehouseId,
        masterSkuIds: input.masterSkuIds.map((id) => decodeNodeId(String(id), 'MasterSku')),
      });
      return result.ok
        ? { warehouse: { id: warehouseId }, ...result.value, userErrors: [] }
        : { warehouse: null, products: [], newlyPlaced: 0, userErrors: result.userErrors };
    },
  }),
  repushProduct: t.field({
    type: RepushProductPayload,
    authScopes: { merchantWrite: true },
    description: 'Queues the push of a product to its 3PL warehouse again, with a fresh retry budget: after it FAILED, or while it waits with an error.',
    args: { warehouseProductId: t.arg.globalID({ required: true, for: WarehouseProduct }) },
    resolve: async (_root, { warehouseProductId }, ctx) => payloadOf('warehouseProduct', await repushProduct(ctx, warehouseProductId.id)),
  }),
}));
