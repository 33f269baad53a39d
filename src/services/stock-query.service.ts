// Reading stock: pages of records filtered and sorted in SQL (available = onHand − locked is
// not a column Prisma can sort on), and the movement filter.
import { merchantIdOf, type RequestContext } from '../context.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { StockMovementReason } from '../generated/prisma/enums.ts';

export const STOCK_RECORD_SORT_FIELDS = ['SKU', 'ON_HAND', 'AVAILABLE', 'LOCKED', 'INCOMING', 'UPDATED_AT'] as const;
export type StockRecordSortField = (typeof STOCK_RECORD_SORT_FIELDS)[number];

export interface StockRecordFilter {
  warehouseId?: string | null;
  /** SKU code or name, contains, case-insensitive. */
  text?: string | null;
  /** available < lowStockBelow */
  lowStockBelow?: number | null;
  negativeAvailable?: boolean | null;
  shortage?: boolean | null;
}

/** Where a page starts: the sort value and id of the row next to it. */
export interface StockRecordCursor {
  value: string | number;
  id: string;
}

export interface StockRecordPageRequest {
  sort: { field: StockRecordSortField; direction: 'ASC' | 'DESC' };
  after?: StockRecordCursor;
  before?: StockRecordCursor;
  limit: number;
  /** Paging backwards (`last`): rows nearest `before` first. */
  inverted: boolean;
}

const SORT_SQL: Record<StockRecordSortField, { expression: Prisma.Sql; cast: Prisma.Sql }> = {
  SKU: { expression: Prisma.sql`k.sku`, cast: Prisma.sql`text` },
  ON_HAND: { expression: Prisma.sql`r."onHand"`, cast: Prisma.sql`int` },
  AVAILABLE: { expression: Prisma.sql`(r."onHand" - r."locked")`, cast: Prisma.sql`int` },
  LOCKED: { expression: Prisma.sql`r."locked"`, cast: Prisma.sql`int` },
  INCOMING: { expression: Prisma.sql`r."incoming"`, cast: Prisma.sql`int` },
  UPDATED_AT: { expression: Prisma.sql`r."updatedAt"`, cast: Prisma.sql`timestamp(3)` },
};

function stockRecordConditions(ctx: RequestContext, filter: StockRecordFilter | null | undefined): Prisma.Sql[] {
  const conditions = [Prisma.sql`r."merchantId" = ${merchantIdOf(ctx)}`];
  if (filter?.warehouseId != null) conditions.push(Prisma.sql`r."warehouseId" = ${filter.warehouseId}`);
  const text = filter?.text?.trim();
  if (text) conditions.push(Prisma.sql`(strpos(lower(k.sku), lower(${text})) > 0 OR strpos(lower(k.name), lower(${text})) > 0)`);
  if (filter?.lowStockBelow != null) conditions.push(Prisma.sql`r."onHand" - r."locked" < ${filter.lowStockBelow}`);
  if (filter?.negativeAvailable != null) {
    conditions.push(filter.negativeAvailable ? Prisma.sql`r."onHand" < r."locked"` : Prisma.sql`r."onHand" >= r."locked"`);
  }
  if (filter?.shortage != null) conditions.push(Prisma.sql`r.shortage = ${filter.shortage}`);
  return conditions;
}

/** The ids (and sort values, for cursors) of one page of the merchant's stock records. */
export async function stockRecordPage(
  ctx: RequestContext,
  filter: StockRecordFilter | null | undefined,
  page: StockRecordPageRequest,
): Promise<{ id: string; sortValue: string | number }[]> {
  const { expression, cast } = SORT_SQL[page.sort.field];
  const ascending = page.sort.direction === 'ASC';
  const conditions = stockRecordConditions(ctx, filter);
  const beyond = (cursor: StockRecordCursor, later: boolean) =>
    later
      ? Prisma.sql`(${expression}, r.id) > (${cursor.value}::${cast}, ${cursor.id})`
      : Prisma.sql`(${expression}, r.id) < (${cursor.value}::${cast}, ${cursor.id})`;
  if (page.after) conditions.push(beyond(page.after, ascending));
  if (page.before) conditions.push(beyond(page.before, !ascending));
  const direction = ascending !== page.inverted ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = await ctx.db.prisma.$queryRaw<{ id: string; sortValue: string | number | Date }[]>`
    SELECT r.id, ${expression} AS "sortValue"
    FROM "StockRecord" r JOIN "MasterSku" k ON k.id = r."masterSkuId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${expression} ${direction}, r.id ${direction}
    LIMIT ${page.limit}`;
  return rows.map((row) => ({ id: row.id, sortValue: row.sortValue instanceof Date ? row.sortValue.toISOString() : row.sortValue }));
}

export async function countStockRecords(ctx: RequestContext, filter: StockRecordFilter | null | undefined): Promise<number> {
  const [row] = await ctx.db.prisma.$queryRaw<{ count: bigint | number }[]>`
    SELECT count(*) AS count FROM "StockRecord" r JOIN "MasterSku" k ON k.id = r."masterSkuId"
    WHERE ${Prisma.join(stockRecordConditions(ctx, filter), ' AND ')}`;
  return Number(row?.count ?? 0);
}

export interface StockMovementFilter {
  stockRecordId?: string | null;
  warehouseId?: string | null;
  reasons?: StockMovementReason[] | null;
  /** Inclusive. */
  createdAfter?: Date | null;
  /** Exclusive. */
  createdBefore?: Date | null;
}

export function stockMovementWhere(ctx: RequestContext, filter: StockMovementFilter | null | undefined): Prisma.StockMovementWhereInput {
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.stockRecordId != null ? { stockRecordId: filter.stockRecordId } : {}),
    ...(filter?.warehouseId != null ? { stockRecord: { warehouseId: filter.warehouseId } } : {}),
    ...(filter?.reasons?.length ? { reason: { in: filter.reasons } } : {}),
    ...(filter?.createdAfter || filter?.createdBefore
      ? {
          createdAt: {
            ...(filter.createdAfter ? { gte: filter.createdAfter } : {}),
            ...(filter.createdBefore ? { lt: filter.createdBefore } : {}),
          },
        }
      : {}),
  };
}
