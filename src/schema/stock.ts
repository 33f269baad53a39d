// Stock: records per (warehouse, Master SKU), their movement ledger, manual adjustment and import.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { StockMovement as StockMovementModel, StockRecord as StockRecordModel } from '../generated/prisma/client.ts';
import { adjustStock, importStock, STOCK_USER_ERROR_CODES } from '../services/stock-adjustment.service.ts';
import { countStockRecords, STOCK_RECORD_SORT_FIELDS, type StockRecordCursor, type StockRecordSortField, stockMovementWhere, stockRecordPage } from '../services/stock-query.service.ts';
import type { UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';
import { StockMovementReason } from './enums.ts';
import { decodeNodeId } from './global-id.ts';
import { pageSizeLimit } from './pagination.ts';
import { defineUserErrorType, SortDirection } from './user-error.ts';
import { tenantNode } from './tenant-node.ts';

export const StockRecord = builder.prismaNode('StockRecord', {
  ...tenantNode,
  description: 'The stock of one Master SKU in one warehouse. Every change is a StockMovement; they sum to these quantities.',
  fields: (t) => ({
    warehouse: t.relation('warehouse'),
    masterSku: t.relation('masterSku'),
    onHand: t.exposeInt('onHand', { description: 'Physically in the warehouse.' }),
    locked: t.exposeInt('locked', { description: 'Reserved by outbound lists not yet completed.' }),
    incoming: t.exposeInt('incoming', { description: 'On inbound lists pushed but not yet received.' }),
    available: t.int({
      description: 'onHand − locked; negative only while `shortage` is set.',
      resolve: (record) => record.onHand - record.locked,
    }),
    shortage: t.exposeBoolean('shortage', { description: 'A stock sync found fewer on hand than locked.' }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    movements: t.relatedConnection('movements', {
      cursor: 'id',
      totalCount: true,
      validate: pageSizeLimit,
      description: 'The ledger of this record, newest first.',
      args: { reasons: t.arg({ type: [StockMovementReason] }) },
      query: (args) => ({
        where: args.reasons?.length ? { reason: { in: args.reasons } } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

export const StockMovement = builder.prismaNode('StockMovement', {
  ...tenantNode,
  description: 'One change of a stock record: the ledger row.',
  fields: (t) => ({
    stockRecord: t.relation('stockRecord'),
    reason: t.expose('reason', { type: StockMovementReason }),
    onHandDelta: t.exposeInt('onHandDelta'),
    lockedDelta: t.exposeInt('lockedDelta'),
    incomingDelta: t.exposeInt('incomingDelta'),
    referenceType: t.exposeString('referenceType', {
      nullable: true,
      description: 'What caused it, e.g. INBOUND_LIST, OUTBOUND_LIST, STOCK_SYNC, STOCK_IMPORT.',
    }),
    referenceId: t.exposeString('referenceId', { nullable: true }),
    actor: t.exposeString('actor', { description: 'The API token id, or the job or webhook that made the change.' }),
    note: t.exposeString('note', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// ─── stockRecords ─────────────────────────────────────────────────────────────

const StockRecordFilter = builder.inputType('StockRecordFilter', {
  fields: (t) => ({
    warehouseId: t.id(),
    text: t.string({
      description: 'Matches the SKU code or name (contains, case-insensitive).',
      validate: z.string().max(200, 'must be at most 200 characters'),
    }),
    lowStockBelow: t.int({ description: 'Only records whose available quantity is below this number.' }),
    negativeAvailable: t.boolean({ description: 'true: only records with more locked than on hand; false: only the others.' }),
    shortage: t.boolean({ description: 'Only records with (true) or without (false) a shortage flagged by a sync.' }),
  }),
});

const StockRecordSortField = builder.enumType('StockRecordSortField', { values: STOCK_RECORD_SORT_FIELDS });
const StockRecordSort = builder.inputType('StockRecordSort', {
  fields: (t) => ({
    field: t.field({ type: StockRecordSortField, required: true }),
    direction: t.field({ type: SortDirection, defaultValue: 'ASC', required: true }),
  }),
});

type StockRecordConnectionShape = Awaited<ReturnType<typeof resolveCursorConnection<Promise<StockRecordModel[]>>>> & {
  totalCount: () => Promise<number>;
};

builder.queryFields((t) => ({
  stockRecords: t.connection(
    {
      type: StockRecord,
      authScopes: { merchantRead: true },
      validate: pageSizeLimit,
      args: {
        filter: t.arg({ type: StockRecordFilter }),
        sortBy: t.arg({ type: StockRecordSort, description: 'Default: by SKU.' }),
      },
      resolve: async (_root, args, ctx, info): Promise<StockRecordConnectionShape> => {
        const sort = { field: args.sortBy?.field ?? 'SKU', direction: args.sortBy?.direction ?? 'ASC' } as const;
        const warehouseId = args.filter?.warehouseId;
        const filter = args.filter ? { ...args.filter, warehouseId: warehouseId == null ? null : decodeNodeId(String(warehouseId), 'Warehouse') } : null;
        const sortValues = new Map<string, string | number>();
        const connection = await resolveCursorConnection<Promise<StockRecordModel[]>>(
          { args, toCursor: (record) => encodeCursor(sort.field, sortValues.get(record.id)!, record.id) },
          async ({ after, before, limit, inverted }) => {
            const page = await stockRecordPage(ctx, filter, {
              sort,
              after: after === undefined ? undefined : decodeCursor(sort.field, after),
              before: before === undefined ? undefined : decodeCursor(sort.field, before),
              limit,
              inverted,
            });
            for (const { id, sortValue } of page) sortValues.set(id, sortValue);
            return loadInOrder(ctx, info, page.map(({ id }) => id));
          },
        );
        return { ...connection, totalCount: () => countStockRecords(ctx, filter) };
      },
    },
    {
      name: 'StockRecordConnection',
      fields: (connection) => ({
        totalCount: connection.int({ resolve: (parent) => (parent as StockRecordConnectionShape).totalCount() }),
      }),
    },
    { name: 'StockRecordEdge' },
  ),
}));

/** The records with everything the query selects beneath `edges.node`, in one query. */
async function loadInOrder(ctx: RequestContext, info: GraphQLResolveInfo, ids: string[]): Promise<StockRecordModel[]> {
  if (ids.length === 0) return [];
  const query = queryFromInfo({ context: ctx, info, typeName: 'StockRecord', path: ['edges', 'node'] });
  const records = await ctx.db.prisma.stockRecord.findMany({ ...query, where: { id: { in: ids }, merchantId: merchantIdOf(ctx) } });
  const byId = new Map(records.map((record) => [record.id, record]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// Cursors carry the sort field too, so one from another sort order is refused, not misread.
function encodeCursor(field: StockRecordSortField, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([field, value, id])).toString('base64url');
}

const cursorSchema = z.tuple([z.enum(STOCK_RECORD_SORT_FIELDS), z.union([z.string(), z.int()]), z.string()]);

function decodeCursor(field: StockRecordSortField, cursor: string): StockRecordCursor {
  let parsed: z.infer<typeof cursorSchema> | undefined;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  const numeric = field !== 'SKU' && field !== 'UPDATED_AT';
  const valid =
    parsed?.[0] === field &&
    (numeric ? typeof parsed[1] === 'number' : typeof parsed[1] === 'string') &&
    (field !== 'UPDATED_AT' || !Number.isNaN(Date.parse(String(parsed[1]))));
  if (!parsed || !valid) {
    throw new GraphQLError('Invalid cursor for this sort order', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return { value: parsed[1], id: parsed[2] };
}

// ─── stockMovements ───────────────────────────────────────────────────────────

const StockMovementFilter = builder.inputType('StockMovementFilter', {
  fields: (t) => ({
    stockRecordId: t.id(),
    warehouseId: t.id(),
    reasons: t.field({ type: [StockMovementReason] }),
    createdAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

const StockMovementSortField = builder.enumType('StockMovementSortField', { values: ['CREATED_AT'] as const });
const StockMovementSort = builder.inputType('StockMovementSort', {
  fields: (t) => ({
    field: t.field({ type: StockMovementSortField, required: true }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC', required: true }),
  }),
});

builder.queryFields((t) => ({
  stockMovements: t.prismaConnection({
    type: 'StockMovement',
    cursor: 'id',
    authScopes: { merchantRead: true },
    validate: pageSizeLimit,
    args: {
      filter: t.arg({ type: StockMovementFilter }),
      sortBy: t.arg({ type: StockMovementSort, description: 'Default: newest first.' }),
    },
    resolve: (query, _root, args, ctx) => {
      const direction = args.sortBy?.direction === 'ASC' ? 'asc' : 'desc';
      return ctx.db.prisma.stockMovement.findMany({
        ...query,
        where: stockMovementWhere(ctx, movementFilter(args.filter)),
        orderBy: [{ createdAt: direction }, { id: direction }],
      });
    },
    totalCount: (_root, args, ctx) => ctx.db.prisma.stockMovement.count({ where: stockMovementWhere(ctx, movementFilter(args.filter)) }),
  }),
}));

function movementFilter(filter: typeof StockMovementFilter.$inferInput | null | undefined) {
  if (!filter) return null;
  return {
    ...filter,
    stockRecordId: filter.stockRecordId == null ? null : decodeNodeId(String(filter.stockRecordId), 'StockRecord'),
    warehouseId: filter.warehouseId == null ? null : decodeNodeId(String(filter.warehouseId), 'Warehouse'),
  };
}

// ─── Mutations ────────────────────────────────────────────────────────────────

const StockUserError = defineUserErrorType('StockUserError', STOCK_USER_ERROR_CODES, 'A problem with a stock adjustment or import.');

const AdjustStockInput = builder.inputType('AdjustStockInput', {
  description: "A manual correction of on-hand stock in one of the merchant's own warehouses.",
  fields: (t) => ({
    warehouseId: t.id({ required: true }),
    masterSkuId: t.id({ required: true }),
    delta: t.int({ required: true, description: 'Change of the on-hand quantity; negative to remove.' }),
    note: t.string(),
    idempotencyKey: t.string({ description: 'A retry with the same key does the work once and returns the first answer.' }),
  }),
});

const StockImportMode = builder.enumType('StockImportMode', {
  values: {
    SET: { description: 'Each quantity is the new on-hand count.' },
    DELTA: { description: 'Each quantity is added to (or, negative, taken from) on hand.' },
  } as const,
});

const StockImportRow = builder.inputType('StockImportRow', {
  fields: (t) => ({
    sku: t.string({ required: true, description: 'Master SKU code.' }),
    quantity: t.int({ required: true }),
  }),
});

const ImportStockInput = builder.inputType('ImportStockInput', {
  description: 'Up to 10,000 rows, applied all or nothing.',
  fields: (t) => ({
    warehouseId: t.id({ required: true }),
    mode: t.field({ type: StockImportMode, required: true }),
    rows: t.field({ type: [StockImportRow], required: true }),
    idempotencyKey: t.string({ description: 'A retry with the same key does the work once and returns the first answer.' }),
  }),
});

interface AdjustStockPayloadShape {
  stockRecordId: string | null;
  movement: StockMovementModel | null;
  alreadyApplied: boolean;
  userErrors: UserError[];
}

const AdjustStockPayload = builder.objectRef<AdjustStockPayloadShape>('AdjustStockPayload').implement({
  fields: (t) => ({
    stockRecord: t.prismaField({
      type: 'StockRecord',
      nullable: true,
      resolve: (query, payload, _args, ctx) =>
        payload.stockRecordId ? ctx.db.prisma.stockRecord.findUnique({ ...query, where: { id: payload.stockRecordId } }) : null,
    }),
    movement: t.field({ type: StockMovement, nullable: true, resolve: (payload) => payload.movement }),
    alreadyApplied: t.boolean({
      description: 'True when this idempotency key was used before: nothing changed, the first movement is returned.',
      resolve: (payload) => payload.alreadyApplied,
    }),
    userErrors: t.field({ type: [StockUserError], resolve: (payload) => payload.userErrors }),
  }),
});

interface ImportStockPayloadShape {
  stockRecordIds: string[];
  alreadyApplied: boolean;
  userErrors: UserError[];
}

const ImportStockPayload = builder.objectRef<ImportStockPayloadShape>('ImportStockPayload').implement({
  fields: (t) => ({
    stockRecords: t.prismaField({
      type: ['StockRecord'],
      description: 'One per row, in row order; empty when the import was refused.',
      resolve: async (query, payload, _args, ctx) => {
        if (payload.stockRecordIds.length === 0) return [];
        const records = await ctx.db.prisma.stockRecord.findMany({ ...query, where: { id: { in: payload.stockRecordIds } } });
        const byId = new Map(records.map((record) => [record.id, record]));
        return payload.stockRecordIds.map((id) => byId.get(id)!);
      },
    }),
    alreadyApplied: t.boolean({
      description: 'True when this idempotency key was used before: nothing changed, the first result is returned.',
      resolve: (payload) => payload.alreadyApplied,
    }),
    userErrors: t.field({ type: [StockUserError], resolve: (payload) => payload.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  adjustStock: t.field({
    type: AdjustStockPayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: AdjustStockInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await adjustStock(ctx, {
        ...input,
        warehouseId: decodeNodeId(String(input.warehouseId), 'Warehouse'),
        masterSkuId: decodeNodeId(String(input.masterSkuId), 'MasterSku'),
      });
      if (!result.ok) return { stockRecordId: null, movement: null, alreadyApplied: false, userErrors: result.userErrors };
      const { stockRecord, movement, alreadyApplied } = result.value;
      return { stockRecordId: stockRecord.id, movement, alreadyApplied, userErrors: [] };
    },
  }),
  importStock: t.field({
    type: ImportStockPayload,
    authScopes: { merchantWrite: true },
    args: { input: t.arg({ type: ImportStockInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await importStock(ctx, { ...input, warehouseId: decodeNodeId(String(input.warehouseId), 'Warehouse') });
      return result.ok
        ? { stockRecordIds: result.value.stockRecords.map((record) => record.id), alreadyApplied: result.value.alreadyApplied, userErrors: [] }
        : { stockRecordIds: [], alreadyApplied: false, userErrors: result.userErrors };
    },
  }),
}));

builder.prismaObjectField('MasterSku', 'stockRecords', (t) =>
  t.relation('stockRecords', { description: 'Stock of this Master SKU in each warehouse it is placed in.', query: { orderBy: { id: 'asc' } } }),
);
