// JD ECLP status codes to our inbound/outbound statuses: configurable tables, raw values kept by callers.
import type { InboundStatus, OutboundStatus } from '../../generated/prisma/enums.ts';
import type { CancelOutcome } from '../types.ts';

/** Marks a code that says nothing new about where the goods are: keep the status before it. */
export const KEEP_PRIOR = 'KEEP_PRIOR' as const;
export type KeepPrior = typeof KEEP_PRIOR;

/**
 * `poOrderStatus` (confirmed codes). Decisions:
 * - 20 "initialised" → SUBMITTED: JD has accepted the PO; nothing says the goods are on their way,
 *   so IN_TRANSIT would claim more than we know.
 * - 92 "cancel failed" → KEEP_PRIOR: the PO goes on. queryPoOrder carries no history, so
 *   {@link mapInboundStatus} treats it as SUBMITTED (RECEIVING once anything was received).
 * - SUBMITTED with a received quantity > 0 becomes RECEIVING: JD has no partial-receipt code.
 */
export const DEFAULT_INBOUND_STATUSES: Readonly<Record<string, InboundStatus | KeepPrior>> = {
  '10': 'SUBMITTED',
  '20': 'SUBMITTED',
  '70': 'COMPLETED',
  '90': 'CANCELLING',
  '91': 'CANCELLED',
  '92': KEEP_PRIOR,
};

/**
 * `soStatusCode`. Confirmed: 10018 packed, 10019 dispatched (warehouse flow done = COMPLETED),
 * 10028 cancelled, 10029 cancel failed. Unsourced (simulator-defined): 10010 created,
 * 10012 accepted, 10014 picking, 10016 picked. Decisions:
 * - 10016 "picked" → PICKING: the goods are off the shelf but not packed; PACKED waits for 10018.
 * - 10029 "cancel failed" → KEEP_PRIOR: the order goes on, so {@link latestOutboundStatus} takes
 *   the latest earlier code that maps; with none, EXCEPTION.
 * Unknown codes map to EXCEPTION, their raw value kept.
 */
export const DEFAULT_OUTBOUND_STATUSES: Readonly<Record<string, OutboundStatus | KeepPrior>> = {
  '10010': 'CREATED',
  '10012': 'ACCEPTED',
  '10014': 'PICKING',
  '10016': 'PICKING',
  '10018': 'PACKED',
  '10019': 'COMPLETED',
  '10028': 'CANCELLED',
  '10029': KEEP_PRIOR,
};

/**
 * `cancelorder_result.code` (and the simulator's `cancalpoorder_result.code`): unsourced.
 * 1 cancelled, 2 refused, 3 cancelling.
 */
export const DEFAULT_CANCEL_OUTCOMES: Readonly<Record<string, CancelOutcome>> = {
  '1': 'CANCELLED',
  '2': 'REFUSED',
  '3': 'CANCELLING',
};

export interface JdStatusTables {
  inbound: Readonly<Record<string, InboundStatus | KeepPrior>>;
  outbound: Readonly<Record<string, OutboundStatus | KeepPrior>>;
  cancel: Readonly<Record<string, CancelOutcome>>;
}

export const DEFAULT_JD_STATUS_TABLES: JdStatusTables = {
  inbound: DEFAULT_INBOUND_STATUSES,
  outbound: DEFAULT_OUTBOUND_STATUSES,
  cancel: DEFAULT_CANCEL_OUTCOMES,
};

/** Null for a code the table does not know: the caller reports it as MALFORMED. */
export function mapInboundStatus(
  rawStatus: string,
  receivedTotal: number,
  table: JdStatusTables['inbound'] = DEFAULT_INBOUND_STATUSES,
): InboundStatus | null {
  const mapped = table[rawStatus];
  if (mapped === undefined) return null;
  const status = mapped === KEEP_PRIOR ? 'SUBMITTED' : mapped;
  return status === 'SUBMITTED' && receivedTotal > 0 ? 'RECEIVING' : status;
}

export interface JdStatusEntry {
  soStatusCode: string;
  operateTime: string;
}

/**
 * The latest entry by `operateTime` (JOS `yyyy-MM-dd HH:mm:ss`, which sorts as text; on a tie
 * the later entry in the list wins) gives the raw status; KEEP_PRIOR codes fall back to the
 * latest earlier entry that maps.
 */
export function latestOutboundStatus(
  entries: readonly JdStatusEntry[],
  table: JdStatusTables['outbound'] = DEFAULT_OUTBOUND_STATUSES,
): { rawStatus: string; status: OutboundStatus; changedAt: string } | null {
  const ordered = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.operateTime.localeCompare(b.entry.operateTime) || a.index - b.index)
    .map(({ entry }) => entry);
  const latest = ordered.at(-1);
  if (!latest) return null;
  for (let index = ordered.length - 1; index >= 0; index--) {
    const mapped = table[ordered[index]!.soStatusCode];
    if (mapped === KEEP_PRIOR) continue;
    return { rawStatus: latest.soStatusCode, status: mapped ?? 'EXCEPTION', changedAt: latest.operateTime };
  }
  return { rawStatus: latest.soStatusCode, status: 'EXCEPTION', changedAt: latest.operateTime };
}

export function mapCancelOutcome(code: string, table: JdStatusTables['cancel'] = DEFAULT_CANCEL_OUTCOMES): CancelOutcome | null {
  return table[code] ?? null;
}
