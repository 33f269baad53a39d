// Warehouse shipping rules: a store's warehouses by priority, and the mutation that sets them.
import type { Store as StoreModel } from '../generated/prisma/client.ts';
import { SHIPPING_RULE_ERROR_CODES, setShippingRules } from '../services/shipping-rule.service.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { decodeNodeId } from './global-id.ts';
import { Store } from './store.ts';
import { defineUserErrorType, payloadOf } from './user-error.ts';

const ShippingRule = builder.prismaObject('ShippingRule', {
  description: "One warehouse of a store's shipping rules. An order item ships from the first warehouse, by priority, that holds its SKU.",
  fields: (t) => ({
    priority: t.exposeInt('priority', { description: '1 is tried first.' }),
    warehouse: t.relation('warehouse'),
  }),
});

builder.prismaObjectField('Store', 'shippingRules', (t) =>
  t.relation('shippingRules', {
    type: ShippingRule,
    description: 'Warehouses this store ships from, highest priority first (at most 50, so not paged).',
    query: { orderBy: { priority: 'asc' } },
  }),
);

const ShippingRuleUserError = defineUserErrorType(
  'ShippingRuleUserError',
  SHIPPING_RULE_ERROR_CODES,
  'A problem with a shipping rule input; `index` is the position in warehouseIds.',
);

const SetShippingRulesInput = builder.inputType('SetShippingRulesInput', {
  fields: (t) => ({
    storeId: t.id({ required: true }),
    warehouseIds: t.idList({
      required: true,
      description: 'Active warehouses, highest priority first; replaces the whole list. An empty list removes the rules.',
    }),
  }),
});

const SetShippingRulesPayload = builder
  .objectRef<{ store: StoreModel | null; userErrors: UserError[] }>('SetShippingRulesPayload')
  .implement({
    fields: (t) => ({
      store: t.field({ type: Store, nullable: true, resolve: (payload) => payload.store }),
      userErrors: t.field({ type: [ShippingRuleUserError], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationFields((t) => ({
  setShippingRules: t.field({
    type: SetShippingRulesPayload,
    description: "Replaces a store's warehouse shipping rules and re-allocates its orders that are not shipping yet.",
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: SetShippingRulesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return payloadOf('store', await setShippingRules(ctx, {
        storeId: decodeNodeId(input.storeId, 'Store'),
        warehouseIds: input.warehouseIds.map((id) => decodeNodeId(id, 'Warehouse')),
      }));
    },
  }),
}));
