// ECCANG status tables, units and dates.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECEIVING_STATUS,
  centsToUsd,
  formatEccangDate,
  gramsToKg,
  mapCancelStatus,
  mapOrderStatus,
  mapReceivingStatus,
  mmToCm,
  parseEccangDate,
} from '../../../src/providers/eccang/mapper.ts';
import { ProviderError } from '../../../src/providers/types.ts';

describe('order_status', () => {
  it.each([
    ['C', 'CREATED'],
    ['W', 'ACCEPTED'],
    ['D', 'COMPLETED'],
    ['H', 'ON_HOLD'],
    ['N', 'EXCEPTION'],
    ['P', 'EXCEPTION'],
    ['X', 'CANCELLED'],
    ['w', 'ACCEPTED'],
  ])('%s → %s', (raw, status) => {
    expect(mapOrderStatus(raw)).toBe(status);
  });

  it('refuses an unknown letter with a clear, non-retryable error', () => {
    // given / when
    const error = (() => {
      try {
        mapOrderStatus('Z');
      } catch (e) {
        return e;
      }
    })();
    // then
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'MALFORMED', retryable: false });
    expect((error as Error).message).toContain('"Z"');
  });
});

describe('receiving_status', () => {
  it.each([
    ['0', 'DRAFT'],
    ['1', 'SUBMITTED'],
    ['2', 'REJECTED'],
    ['7', 'IN_TRANSIT'],
    ['8', 'RECEIVING'],
    ['9', 'RECEIVING'],
    ['10', 'COMPLETED'],
    ['100', 'CANCELLED'],
  ])('default table: %s → %s', (raw, status) => {
    expect(mapReceivingStatus(raw)).toBe(status);
  });

  it('uses a configured table instead of the default', () => {
    // given
    const table = { ...DEFAULT_RECEIVING_STATUS, '3': 'IN_TRANSIT' as const };
    // when / then
    expect(mapReceivingStatus('3', table)).toBe('IN_TRANSIT');
    expect(() => mapReceivingStatus('3')).toThrow(/receiving_status "3"/);
  });
});

describe('cancel_status', () => {
  it.each([
    [1, 'CANCELLING'],
    [2, 'CANCELLED'],
    [3, 'REFUSED'],
    [4, 'CANCELLED'],
  ])('%d → %s', (raw, outcome) => {
    expect(mapCancelStatus(raw)).toBe(outcome);
  });

  it('refuses an unknown value', () => {
    expect(() => mapCancelStatus(9)).toThrow(ProviderError);
  });
});

describe('units and dates', () => {
  it('converts grams, millimetres and cents to kg, cm and USD', () => {
    expect([gramsToKg(1250), mmToCm(305), mmToCm(200), centsToUsd(1999), centsToUsd(10)]).toEqual([1.25, 30.5, 20, 19.99, 0.1]);
  });

  it('reads ECCANG dates as China time (UTC+8) and ignores empty ones', () => {
    expect(parseEccangDate('2026-11-23 20:30:00')?.toISOString()).toBe('2026-11-23T12:30:00.000Z');
    expect(parseEccangDate('0000-00-00 00:00:00')).toBeNull();
    expect(parseEccangDate('')).toBeNull();
  });

  it('writes eta dates in China time', () => {
    expect(formatEccangDate(new Date('2026-11-30T20:00:00Z'))).toBe('2026-12-01');
  });
});
