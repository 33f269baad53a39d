// ECCANG values ⇄ our normalised ones: statuses, units, dates, error kinds.
import type { InboundStatus, OutboundStatus } from '../../generated/prisma/enums.ts';
import { ProviderError, type CancelOutcome } from '../types.ts';

/** `order_status` letters (PROVIDERS.md "Statuses", confirmed). */
export const ORDER_STATUS: Readonly<Record<string, OutboundStatus>> = {
  C: 'CREATED', // pending review
  W: 'ACCEPTED', // released to the warehouse
  D: 'COMPLETED', // shipped, tracking set
  H: 'ON_HOLD',
  N: 'EXCEPTION',
  P: 'EXCEPTION', // problem
  X: 'CANCELLED', // voided
};

/**
 * `receiving_status` has no public code list. Default: the sister platform's integers
 * (PROVIDERS.md). A binding may supply its own table (`receivingStatusTable`).
 */
export const DEFAULT_RECEIVING_STATUS: Readonly<Record<string, InboundStatus>> = {
  '0': 'DRAFT',
  '1': 'SUBMITTED', // pending review
  '2': 'REJECTED',
  '7': 'IN_TRANSIT',
  '8': 'RECEIVING',
  '9': 'RECEIVING', // received, not yet put away
  '10': 'COMPLETED', // put away
  '100': 'CANCELLED', // void
};

/**
 * An unknown raw status is not guessed: it is a MALFORMED ProviderError naming the value, not
 * retryable (retrying reads the same value), so an operator extends the table.
 */
export function mapOrderStatus(raw: string): OutboundStatus {
  const status = ORDER_STATUS[raw.trim().toUpperCase()];
  if (!status) throw unknownStatus('order_status', raw);
  return status;
}

export function mapReceivingStatus(raw: string, table: Readonly<Record<string, InboundStatus>> = DEFAULT_RECEIVING_STATUS): InboundStatus {
  const status = table[raw.trim()];
  if (!status) throw unknownStatus('receiving_status', raw);
  return status;
}

function unknownStatus(field: string, raw: string): ProviderError {
  return new ProviderError('ECCANG', 'MALFORMED', `unknown ECCANG ${field} ${JSON.stringify(raw)}: add it to the status table`, { retryable: false });
}

/** cancelOrder's `cancel_status`: 1 in progress, 2 success, 3 failed, 4 success (not refunded). */
export function mapCancelStatus(cancelStatus: number): CancelOutcome {
  switch (cancelStatus) {
    case 1:
      return 'CANCELLING';
    case 2:
    case 4:
      return 'CANCELLED';
    case 3:
      return 'REFUSED';
    default:
      throw new ProviderError('ECCANG', 'MALFORMED', `unknown ECCANG cancel_status ${cancelStatus}`, { retryable: false });
  }
}

// ---- units: ours are integer grams, millimetres and minor units; ECCANG wants kg, cm, USD ----

const round = (value: number, digits: number) => Number(value.toFixed(digits));
export const gramsToKg = (grams: number) => round(grams / 1000, 3);
export const mmToCm = (mm: number) => round(mm / 10, 1);
export const centsToUsd = (cents: number) => round(cents / 100, 2);

// ---- dates: ECCANG writes "yyyy-MM-dd HH:mm:ss" in China time (UTC+8) unless a zone is given ----

export function parseEccangDate(raw: string | null | undefined): Date | null {
  if (!raw || raw.startsWith('0000')) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(raw.trim());
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
    return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 8, Number(mi), Number(s)));
  }
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** A date as ECCANG's `eta_date` wants it: yyyy-MM-dd in China time. */
export function formatEccangDate(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

// ---- error kinds: ECCANG publishes no error-code list, so kinds are recognised by wording ----

export interface ErrorPatterns {
  auth: RegExp;
  duplicate: RegExp;
  notFound: RegExp;
}

export const DEFAULT_ERROR_PATTERNS: ErrorPatterns = {
  auth: /app_?token|app_?key|unauthori[sz]ed|authenticat|credential|permission denied|鉴权|认证|授权|token.*(invalid|error|expired)/i,
  duplicate: /duplicate|already exist|exists|重复|已存在/i,
  notFound: /not (be )?found|does not exist|doesn't exist|no such|不存在/i,
};
