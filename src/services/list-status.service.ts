// Applies an inbound or outbound list's state as the provider reports it (webhook, poll,
// refresh): the monotonic status machine decides, one StatusChange row records each change,
// and a final status settles the list's stock exactly once. There is no event bus yet: the
// result carries what a caller publishes after commit.
//
// Rules:
// - A list is found by (merchant, warehouse, providerRef), or by our code = state.reference
//   while no providerRef is stored (the providerRef is then stored). Otherwise: notFound.
// - The list row is locked for the transaction, so concurrent reports of one list apply one
//   after the other, each against what the one before it wrote.
// - A report the machine ignores (late, duplicate, or on a final list) writes nothing. A report
//   of the status the list has (non-final) refreshes the raw status, received quantities and
//   tracking number without a StatusChange row: the raw status may differ within one
//   normalised status (ECCANG 8 and 9 are both RECEIVING). A final list is frozen.
// - Stock is settled when this call moves a list to a final status and stockAppliedAt is
//   unset; both happen in this transaction, and each movement has a deterministic key.
import type { Database } from '../db/database.ts';
import { inboundStatusMachine } from '../domain/inbound-status.ts';
import type { StatusMachine } from '../domain/monotonic-status.ts';
import { outboundStatusMachine } from '../domain/outbound-status.ts';
import type { SettlementReason } from '../domain/stock.ts';
import { Prisma, type StatusChange } from '../generated/prisma/client.ts';
import type { ChangeSource, InboundStatus, OutboundStatus, StatusSubject } from '../generated/prisma/enums.ts';
import type { InboundState, OutboundState } from '../providers/types.ts';
import { settleListStock } from './list-settlement.ts';
import type { AppliedMovement } from './stock.service.ts';

export interface ApplyListStateInput<State> {
  merchantId: string;
  warehouseId: string;
  state: State;
  source: ChangeSource;
  /** Who: a webhook or job name, or an API token id. */
  actor: string;
}

export type ListStateResult<S extends string> =
  | { notFound: true }
  | {
      notFound: false;
      listId: string;
      code: string;
      /** The normalised status changed (one StatusChange row was written). */
      changed: boolean;
      /** Anything on the list or its lines was written, status or not. */
      updated: boolean;
      from: S;
      to: S;
      /** The row written for the change: publish it after commit (its id is the feed cursor). */
      statusChange: StatusChange | null;
      /** Stock movements of the settlement, with their records; empty unless this call settled the list. */
      movements: AppliedMovement[];
    };

type Tx = Prisma.TransactionClient;

export async function applyInboundState(db: Database, input: ApplyListStateInput<InboundState>): Promise<ListStateResult<InboundStatus>> {
  const { state } = input;
  return db.prisma.$transaction(async (tx) => {
    const listId = await lockList(tx, 'InboundList', input);
    if (!listId) return { notFound: true };
    const list = await tx.inboundList.findUniqueOrThrow({
      where: { id: listId },
      include: { lines: { include: { masterSku: { select: { sku: true } } }, orderBy: { id: 'asc' } } },
    });
    const step = await nextStep(tx, inboundStatusMachine, 'INBOUND_LIST', list, state.status);

    const received = step.current ? await receivedByLine(tx, list, state) : new Map<string, number>();
    const changedLines = list.lines.filter((line) => received.has(line.id) && received.get(line.id) !== line.receivedQuantity);
    if (changedLines.length > 0) await setReceived(tx, changedLines.map((line) => ({ id: line.id, receivedQuantity: received.get(line.id)! })));

    const data: Prisma.InboundListUpdateInput = {
      ...(list.providerRef === null ? { providerRef: state.providerRef } : {}),
      ...(step.current && list.providerStatusRaw !== state.rawStatus ? { providerStatusRaw: state.rawStatus } : {}),
      ...(step.changed ? { status: step.status, ...(step.status === 'COMPLETED' ? { completedAt: new Date() } : {}) } : {}),
    };
    const settles = step.changed && inboundStatusMachine.isFinal(step.status) && list.stockAppliedAt === null;
    if (settles) data.stockAppliedAt = new Date();
    if (Object.keys(data).length > 0) await tx.inboundList.update({ where: { id: list.id }, data });

    const statusChange = step.changed ? await recordChange(tx, 'INBOUND_LIST', list, step.status, input) : null;
    const reason: SettlementReason = step.status === 'COMPLETED' ? 'INBOUND_RECEIVED' : 'INBOUND_CANCELLED';
    const movements = settles
      ? await settleListStock(
          tx,
          { ...list, referenceType: 'INBOUND_LIST' },
          list.lines.map((line) => ({ masterSkuId: line.masterSkuId, reason, quantity: received.get(line.id) ?? line.receivedQuantity })),
          input.actor,
        )
      : [];
    return found(list, step, statusChange, movements, changedLines.length > 0 || Object.keys(data).length > 0);
  });
}

export async function applyOutboundState(db: Database, input: ApplyListStateInput<OutboundState>): Promise<ListStateResult<OutboundStatus>> {
  const { state } = input;
  return db.prisma.$transaction(async (tx) => {
    const listId = await lockList(tx, 'OutboundList', input);
    if (!listId) return { notFound: true };
    const list = await tx.outboundList.findUniqueOrThrow({ where: { id: listId }, include: { lines: { orderBy: { id: 'asc' } } } });
    const step = await nextStep(tx, outboundStatusMachine, 'OUTBOUND_LIST', list, state.status);

    const data: Prisma.OutboundListUpdateInput = {
      ...(list.providerRef === null ? { providerRef: state.providerRef } : {}),
      ...(step.current && list.providerStatusRaw !== state.rawStatus ? { providerStatusRaw: state.rawStatus } : {}),
      ...(step.current && state.trackingNumber && state.trackingNumber !== list.trackingNumber ? { trackingNumber: state.trackingNumber } : {}),
      ...(step.changed ? { status: step.status, ...(step.status === 'COMPLETED' ? { completedAt: new Date() } : {}) } : {}),
    };
    const settles = step.changed && outboundStatusMachine.isFinal(step.status) && list.stockAppliedAt === null;
    if (settles) data.stockAppliedAt = new Date();
    if (Object.keys(data).length > 0) await tx.outboundList.update({ where: { id: list.id }, data });

    const statusChange = step.changed
      ? await recordChange(tx, 'OUTBOUND_LIST', list, step.status, input, state.trackingNumber ? { trackingNumber: state.trackingNumber } : {})
      : null;
    const reason: SettlementReason = step.status === 'COMPLETED' ? 'OUTBOUND_SHIPPED' : 'OUTBOUND_RELEASED';
    const movements = settles
      ? await settleListStock(
          tx,
          { ...list, referenceType: 'OUTBOUND_LIST' },
          list.lines.map((line) => ({ masterSkuId: line.masterSkuId, reason, quantity: line.quantity })),
          input.actor,
        )
      : [];
    return found(list, step, statusChange, movements, Object.keys(data).length > 0);
  });
}

/**
 * Locks the list the state is about and returns its id. A providerRef match wins over a code
 * match; the code is only a fallback for a list whose providerRef was never stored.
 */
async function lockList(
  tx: Tx,
  table: 'InboundList' | 'OutboundList',
  { merchantId, warehouseId, state }: ApplyListStateInput<{ providerRef: string; reference: string }>,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM ${Prisma.raw(`"${table}"`)}
    WHERE "merchantId" = ${merchantId} AND "warehouseId" = ${warehouseId}
      AND ("providerRef" = ${state.providerRef} OR ("providerRef" IS NULL AND code = ${state.reference}))
    ORDER BY ("providerRef" IS NOT DISTINCT FROM ${state.providerRef}) DESC, id
    LIMIT 1
    FOR UPDATE`;
  return rows[0]?.id ?? null;
}

interface Step<S extends string> {
  from: S;
  status: S;
  changed: boolean;
  /** The report says where the list is now (it moved the list, or repeats its non-final status). */
  current: boolean;
}

/** The machine's next status, from the furthest progress the list's history shows. */
async function nextStep<S extends string>(
  tx: Tx,
  machine: StatusMachine<S>,
  subjectType: StatusSubject,
  list: { id: string; merchantId: string; status: S },
  reported: S,
): Promise<Step<S>> {
  const history = await tx.statusChange.findMany({
    where: { merchantId: list.merchantId, subjectType, subjectId: list.id },
    select: { fromStatus: true, toStatus: true },
  });
  const seen = history.flatMap((change) => [change.fromStatus, change.toStatus]).filter((status) => status !== null) as S[];
  const step = machine.next(list.status, reported, machine.reachedOf([list.status, ...seen]));
  return { from: list.status, status: step.status, changed: step.changed, current: step.status === reported && !machine.isFinal(list.status) };
}

async function recordChange(
  tx: Tx,
  subjectType: StatusSubject,
  list: { id: string; merchantId: string; status: string },
  to: string,
  input: ApplyListStateInput<{ providerRef: string; reference: string; rawStatus: string }>,
  extra: Record<string, string> = {},
): Promise<StatusChange> {
  const { providerRef, reference, rawStatus } = input.state;
  return tx.statusChange.create({
    data: {
      merchantId: list.merchantId,
      subjectType,
      subjectId: list.id,
      fromStatus: list.status,
      toStatus: to,
      source: input.source,
      detail: { rawStatus, providerRef, reference, actor: input.actor, ...extra },
    },
  });
}

/**
 * Received quantities by line id, from the reported lines. A reported SKU is our Master SKU
 * code, or the provider's product id where it has its own (JD goodsNo); lines of one SKU add up.
 * A line the report does not name keeps what it had; a reported SKU not on the list is ignored.
 */
async function receivedByLine(
  tx: Tx,
  list: { warehouseId: string; lines: { id: string; masterSkuId: string; masterSku: { sku: string } }[] },
  state: InboundState,
): Promise<Map<string, number>> {
  const reported = new Map<string, number>();
  for (const line of state.lines) reported.set(line.sku, (reported.get(line.sku) ?? 0) + Math.max(0, line.received));
  const providerIds = new Map<string, string>();
  if (list.lines.some((line) => !reported.has(line.masterSku.sku))) {
    const products = await tx.warehouseProduct.findMany({
      where: { warehouseId: list.warehouseId, masterSkuId: { in: list.lines.map((line) => line.masterSkuId) }, providerSkuId: { not: null } },
      select: { masterSkuId: true, providerSkuId: true },
    });
    for (const product of products) providerIds.set(product.masterSkuId, product.providerSkuId!);
  }
  const received = new Map<string, number>();
  for (const line of list.lines) {
    const providerId = providerIds.get(line.masterSkuId);
    const quantity = reported.get(line.masterSku.sku) ?? (providerId === undefined ? undefined : reported.get(providerId));
    if (quantity !== undefined) received.set(line.id, quantity);
  }
  return received;
}

/** One statement for every changed line. */
async function setReceived(tx: Tx, lines: { id: string; receivedQuantity: number }[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE "InboundLine" AS line SET "receivedQuantity" = row."receivedQuantity"
    FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS row(id text, "receivedQuantity" int)
    WHERE line.id = row.id`;
}

function found<S extends string>(
  list: { id: string; code: string },
  step: Step<S>,
  statusChange: StatusChange | null,
  movements: AppliedMovement[],
  updated: boolean,
): ListStateResult<S> {
  const { from, status: to, changed } = step;
  return { notFound: false, listId: list.id, code: list.code, changed, updated, from, to, statusChange, movements };
}
