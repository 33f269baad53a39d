// Writes orders: re-allocates each changed order by its store's shipping rules, re-checks
// its push eligibility, and saves what changed in a fixed number of bulk statements,
// whatever the number of orders. Every function runs inside the caller's transaction.
import { allocate, placementsOf } from '../domain/allocation.ts';
import { checkPushEligibility, type EligibilityWarehouse, storedReasonsOf } from '../domain/eligibility.ts';
import { uuidv7 } from '../db/uuidv7.ts';
import type { Order, Prisma } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/** What the outbound flow reacts to; handed over inside the transaction that changed the orders. */
export interface FulfillmentChanges {
  /** Orders that were not push-eligible before this call and are now. */
  becameEligible: string[];
  /** Orders that became CANCELLED in this call (by the channel, or by accepting a cancellation). */
  cancelled: string[];
}

export interface OrderWriteOptions {
  handOverToFulfillment?: (tx: Tx, changes: FulfillmentChanges) => Promise<void>;
}

export const WITH_ITEMS = { include: { items: { orderBy: { id: 'asc' } } } } satisfies Prisma.OrderDefaultArgs;
export type LoadedOrder = Prisma.OrderGetPayload<typeof WITH_ITEMS>;

const DRAFT_FIELDS = [
  'country',
  'status',
  'cancellationStatus',
  'shippingType',
  'logisticsProvider',
  'trackingNumber',
  'recipientName',
  'recipientPhone',
  'address1',
  'city',
  'province',
  'zipcode',
  'channelCreatedAt',
] as const;
export type DraftFields = Pick<Order, 'storeId' | 'channelOrderNo' | 'channel' | (typeof DRAFT_FIELDS)[number]>;

interface DraftItem {
  /** The stored item kept as it is; null for an item to create. */
  id: string | null;
  channelSkuCode: string;
  quantity: number;
  unitPriceMinor: number | null;
}

/** The state an order should have after this call, before allocation. */
export interface OrderDraft {
  existing: LoadedOrder | null;
  fields: DraftFields;
  items: DraftItem[];
  /** The stored items are deleted and `items` created in their place. */
  replaceItems: boolean;
}

/** The order as it is, ready to be changed and re-evaluated. */
export function draftOf(order: LoadedOrder): OrderDraft {
  const { storeId, channelOrderNo, channel } = order;
  const fields = { storeId, channelOrderNo, channel, ...Object.fromEntries(DRAFT_FIELDS.map((key) => [key, order[key]])) } as DraftFields;
  const items = order.items.map(({ id, channelSkuCode, quantity, unitPriceMinor }) => ({ id, channelSkuCode, quantity, unitPriceMinor }));
  return { existing: order, fields, items, replaceItems: false };
}

export const orderKey = (order: { storeId: string; channelOrderNo: string }) => `${order.storeId}:${order.channelOrderNo}`;

/**
 * Re-allocates a store's orders that are not shipping yet, after something their eligibility
 * depends on changed (e.g. its shipping rules). Runs in the caller's transaction.
 */
export async function reevaluateOpenOrders(
  tx: Tx,
  merchantId: string,
  where: { storeId: string },
  options: OrderWriteOptions = {},
): Promise<void> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Order"
    WHERE "merchantId" = ${merchantId} AND "storeId" = ${where.storeId} AND status IN ('UNPAID', 'READY_TO_SHIP')
    ORDER BY id FOR UPDATE`;
  if (locked.length === 0) return;
  const orders = await tx.order.findMany({ where: { id: { in: locked.map((row) => row.id) } }, ...WITH_ITEMS });
  await applyDrafts(tx, merchantId, orders.map(draftOf), options);
}

interface ResolvedItem extends DraftItem {
  channelSkuId: string;
  masterSkuId: string | null;
  warehouseId: string | null;
}

export type WriteOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface WrittenOrder {
  orderId: string;
  outcome: WriteOutcome;
}

/** Allocates and checks every draft against the current links, rules and placements, then writes what changed. */
export async function applyDrafts(tx: Tx, merchantId: string, drafts: OrderDraft[], options: OrderWriteOptions): Promise<WrittenOrder[]> {
  const resolved = await resolveDrafts(tx, merchantId, drafts);
  const written = await writeDrafts(tx, merchantId, resolved);
  if (options.handOverToFulfillment) {
    const changes: FulfillmentChanges = { becameEligible: [], cancelled: [] };
    resolved.forEach(({ draft, reasons }, position) => {
      const { orderId } = written[position]!;
      const wasEligible = draft.existing !== null && draft.existing.ineligibleReasons.length === 0;
      if (reasons.length === 0 && !wasEligible) changes.becameEligible.push(orderId);
      if (draft.fields.status === 'CANCELLED' && draft.existing?.status !== 'CANCELLED') changes.cancelled.push(orderId);
    });
    if (changes.becameEligible.length > 0 || changes.cancelled.length > 0) await options.handOverToFulfillment(tx, changes);
  }
  return written;
}

async function resolveDrafts(
  tx: Tx,
  merchantId: string,
  drafts: OrderDraft[],
): Promise<{ draft: OrderDraft; items: ResolvedItem[]; reasons: string[] }[]> {
  const codesByStore = new Map<string, Set<string>>();
  for (const draft of drafts) {
    let codes = codesByStore.get(draft.fields.storeId);
    if (!codes) codesByStore.set(draft.fields.storeId, (codes = new Set()));
    for (const item of draft.items) codes.add(item.channelSkuCode);
  }
  const storeIds = [...codesByStore.keys()];
  const channelSkus = await ensureChannelSkus(
    tx,
    merchantId,
    [...codesByStore].flatMap(([storeId, codes]) => [...codes].map((code) => ({ storeId, code }))),
  );
  const channelSkuByKey = new Map(channelSkus.map((sku) => [`${sku.storeId}:${sku.code}`, sku]));

  const rules = await tx.shippingRule.findMany({
    where: { merchantId, storeId: { in: storeIds } },
    orderBy: [{ storeId: 'asc' }, { priority: 'asc' }],
    select: {
      storeId: true,
      warehouse: { select: { id: true, kind: true, provider: true, status: true, integration: { select: { status: true } } } },
    },
  });
  const ruleWarehouseIds = new Map<string, string[]>();
  const warehouses = new Map<string, EligibilityWarehouse>();
  for (const { storeId, warehouse } of rules) {
    ruleWarehouseIds.set(storeId, [...(ruleWarehouseIds.get(storeId) ?? []), warehouse.id]);
    warehouses.set(warehouse.id, {
      kind: warehouse.kind,
      provider: warehouse.provider,
      status: warehouse.status,
      integrationStatus: warehouse.integration?.status ?? null,
    });
  }
  const masterSkuIds = [...new Set(channelSkus.flatMap((sku) => (sku.masterSkuId ? [sku.masterSkuId] : [])))];
  const placementRows =
    masterSkuIds.length > 0 && warehouses.size > 0
      ? await tx.warehouseProduct.findMany({
          where: { merchantId, warehouseId: { in: [...warehouses.keys()] }, masterSkuId: { in: masterSkuIds } },
          select: { warehouseId: true, masterSkuId: true },
        })
      : [];
  const placements = placementsOf(placementRows);

  return drafts.map((draft) => {
    const linked = draft.items.map((item) => {
      const channelSku = channelSkuByKey.get(`${draft.fields.storeId}:${item.channelSkuCode}`);
      if (!channelSku) throw new Error(`Channel SKU ${item.channelSkuCode} was created above`);
      return { ...item, channelSkuId: channelSku.id, masterSkuId: channelSku.masterSkuId };
    });
    const allocation = allocate(linked, { warehouseIds: ruleWarehouseIds.get(draft.fields.storeId) ?? [], placements });
    const items = linked.map((item, position) => ({ ...item, warehouseId: allocation.itemWarehouseIds[position] ?? null }));
    const eligibility = checkPushEligibility({ ...draft.fields, items }, allocation, warehouses);
    return { draft, items, reasons: storedReasonsOf(eligibility) };
  });
}

async function writeDrafts(
  tx: Tx,
  merchantId: string,
  resolved: { draft: OrderDraft; items: ResolvedItem[]; reasons: string[] }[],
): Promise<WrittenOrder[]> {
  const creates = resolved.filter(({ draft }) => draft.existing === null);
  const created =
    creates.length > 0
      ? await tx.order.createManyAndReturn({
          data: creates.map(({ draft, reasons }) => ({ ...draft.fields, merchantId, ineligibleReasons: reasons })),
          select: { id: true, storeId: true, channelOrderNo: true },
        })
      : [];
  const createdIdByKey = new Map(created.map((order) => [orderKey(order), order.id]));
  const orderIdOf = ({ draft }: { draft: OrderDraft }) => draft.existing?.id ?? createdIdByKey.get(orderKey(draft.fields))!;

  const replaced = resolved.filter(({ draft }) => draft.existing !== null && draft.replaceItems);
  if (replaced.length > 0) await tx.orderItem.deleteMany({ where: { orderId: { in: replaced.map(orderIdOf) } } });
  const newItems = [...creates, ...replaced].flatMap((entry) =>
    entry.items.map((item) => ({ ...item, id: uuidv7(), orderId: orderIdOf(entry) })),
  );
  if (newItems.length > 0) await insertItems(tx, newItems);

  const changedItems = resolved.map(({ draft, items }) => (draft.existing && !draft.replaceItems ? itemsToUpdate(draft.existing, items) : []));
  if (changedItems.some((items) => items.length > 0)) await updateItems(tx, changedItems.flat());

  const orderChanged = resolved.map(({ draft, reasons }) => draft.existing !== null && (draft.replaceItems || fieldsChanged(draft, reasons)));
  const updates = resolved.filter((_entry, position) => orderChanged[position]);
  if (updates.length > 0) await updateOrders(tx, merchantId, updates);

  return resolved.map((entry, position) => {
    const orderId = orderIdOf(entry);
    if (!entry.draft.existing) return { orderId, outcome: 'CREATED' };
    return { orderId, outcome: orderChanged[position] || changedItems[position]!.length > 0 ? 'UPDATED' : 'UNCHANGED' };
  });
}

/** Kept items whose channel SKU, Master SKU or warehouse changed since they were stored. */
function itemsToUpdate(existing: LoadedOrder, items: ResolvedItem[]): ResolvedItem[] {
  const stored = new Map(existing.items.map((item) => [item.id, item]));
  return items.filter((item) => {
    const before = stored.get(item.id!)!;
    return before.channelSkuId !== item.channelSkuId || before.masterSkuId !== item.masterSkuId || before.warehouseId !== item.warehouseId;
  });
}

function fieldsChanged(draft: OrderDraft, reasons: string[]): boolean {
  const existing = draft.existing!;
  if (existing.ineligibleReasons.join() !== reasons.join()) return true;
  return DRAFT_FIELDS.some((key) => {
    const before = existing[key];
    const after = draft.fields[key];
    return before instanceof Date && after instanceof Date ? before.getTime() !== after.getTime() : before !== after;
  });
}

/**
 * Creates the channel SKUs orders name but the store has not listed yet (unlinked), and
 * returns all of them. Rows go in sorted, so concurrent calls wait for each other instead of
 * deadlocking; the read is a separate statement so it sees rows another call just committed.
 */
async function ensureChannelSkus(
  tx: Tx,
  merchantId: string,
  keys: { storeId: string; code: string }[],
): Promise<{ id: string; storeId: string; code: string; masterSkuId: string | null }[]> {
  const rows = JSON.stringify(keys.map((key) => ({ ...key, id: uuidv7() })));
  await tx.$executeRaw`
    INSERT INTO "ChannelSku" (id, "merchantId", "storeId", code, "createdAt", "updatedAt")
    SELECT row.id, ${merchantId}, row."storeId", row.code, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${rows}::jsonb) AS row(id text, "storeId" text, code text)
    ORDER BY row."storeId", row.code
    ON CONFLICT ("storeId", code) DO NOTHING`;
  return tx.$queryRaw`
    SELECT sku.id, sku."storeId", sku.code, sku."masterSkuId"
    FROM "ChannelSku" AS sku
    JOIN jsonb_to_recordset(${rows}::jsonb) AS row("storeId" text, code text)
      ON sku."storeId" = row."storeId" AND sku.code = row.code
    WHERE sku."merchantId" = ${merchantId}`;
}

/** One statement for every new item, whatever their number. */
async function insertItems(tx: Tx, items: (ResolvedItem & { id: string; orderId: string })[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "OrderItem" (id, "orderId", "channelSkuCode", "channelSkuId", "masterSkuId", "warehouseId", quantity, "unitPriceMinor")
    SELECT id, "orderId", "channelSkuCode", "channelSkuId", "masterSkuId", "warehouseId", quantity, "unitPriceMinor"
    FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS row(
      id text, "orderId" text, "channelSkuCode" text, "channelSkuId" text, "masterSkuId" text, "warehouseId" text,
      quantity int, "unitPriceMinor" int)`;
}

/** One statement for every changed item, whatever their number. */
async function updateItems(tx: Tx, items: ResolvedItem[]): Promise<void> {
  const rows = items.map(({ id, channelSkuId, masterSkuId, warehouseId }) => ({ id, channelSkuId, masterSkuId, warehouseId }));
  await tx.$executeRaw`
    UPDATE "OrderItem" AS item
    SET "channelSkuId" = row."channelSkuId", "masterSkuId" = row."masterSkuId", "warehouseId" = row."warehouseId"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS row(id text, "channelSkuId" text, "masterSkuId" text, "warehouseId" text)
    WHERE item.id = row.id`;
}

/** One statement for every changed order, whatever their number. */
async function updateOrders(tx: Tx, merchantId: string, updates: { draft: OrderDraft; reasons: string[] }[]): Promise<void> {
  const now = new Date().toISOString();
  const rows = updates.map(({ draft, reasons }) => ({
    ...draft.fields,
    id: draft.existing!.id,
    channelCreatedAt: draft.fields.channelCreatedAt?.toISOString() ?? null,
    ineligibleReasons: reasons,
    updatedAt: now,
  }));
  await tx.$executeRaw`
    UPDATE "Order" AS o
    SET "country" = row."country"::"CountryCode",
        "status" = row."status"::"OrderStatus",
        "cancellationStatus" = row."cancellationStatus"::"CancellationStatus",
        "shippingType" = row."shippingType"::"ShippingType",
        "logisticsProvider" = row."logisticsProvider",
        "trackingNumber" = row."trackingNumber",
        "recipientName" = row."recipientName",
        "recipientPhone" = row."recipientPhone",
        "address1" = row."address1",
        "city" = row."city",
        "province" = row."province",
        "zipcode" = row."zipcode",
        "channelCreatedAt" = row."channelCreatedAt"::timestamptz AT TIME ZONE 'UTC',
        "ineligibleReasons" = ARRAY(SELECT jsonb_array_elements_text(row."ineligibleReasons")),
        "updatedAt" = row."updatedAt"::timestamptz AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS row(
      id text, "country" text, "status" text, "cancellationStatus" text, "shippingType" text,
      "logisticsProvider" text, "trackingNumber" text, "recipientName" text, "recipientPhone" text,
      "address1" text, "city" text, "province" text, "zipcode" text, "channelCreatedAt" text,
      "ineligibleReasons" jsonb, "updatedAt" text)
    WHERE o.id = row.id AND o."merchantId" = ${merchantId}`;
}

// ─── Locking and loading ─────────────────────────────────────────────────────────

/** Advisory-lock class of (store, channel order number) keys; its own key space. */
const ORDER_KEY_LOCK_CLASS = 0x4f52_4452; // "ORDR"

/**
 * Serialises concurrent ingestions of the same channel orders, new ones included (a row
 * lock cannot cover a row that does not exist yet). Keys are locked in sorted order.
 */
export async function lockOrderKeys(tx: Tx, keys: string[]): Promise<void> {
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${ORDER_KEY_LOCK_CLASS}::int, hashtext(key))
    FROM (SELECT DISTINCT key FROM jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) AS key ORDER BY key) AS keys`;
}

/**
 * New orders have no row to lock: holding their stores (shared) makes a concurrent
 * setShippingRules wait, and then re-allocate them with the new rules.
 */
export async function lockStoresForShare(tx: Tx, storeIds: string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT id FROM "Store" WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(storeIds)])}::jsonb))
    ORDER BY id FOR SHARE`;
}

export async function loadOrdersForUpdate(
  tx: Tx,
  merchantId: string,
  orders: { storeId: string; channelOrderNo: string }[],
): Promise<Map<string, LoadedOrder>> {
  const keys = orders.map(({ storeId, channelOrderNo }) => ({ storeId, channelOrderNo }));
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM "Order" AS o
    JOIN jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS key("storeId" text, "channelOrderNo" text)
      ON o."storeId" = key."storeId" AND o."channelOrderNo" = key."channelOrderNo"
    WHERE o."merchantId" = ${merchantId}
    ORDER BY o.id FOR UPDATE OF o`;
  if (locked.length === 0) return new Map();
  const loaded = await tx.order.findMany({ where: { id: { in: locked.map((row) => row.id) } }, ...WITH_ITEMS });
  return new Map(loaded.map((order) => [orderKey(order), order]));
}

export async function loadOrderForUpdate(tx: Tx, merchantId: string, orderId: string): Promise<LoadedOrder | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Order" WHERE id = ${orderId} AND "merchantId" = ${merchantId} FOR UPDATE`;
  if (locked.length === 0) return null;
  return tx.order.findUniqueOrThrow({ where: { id: orderId }, ...WITH_ITEMS });
}

