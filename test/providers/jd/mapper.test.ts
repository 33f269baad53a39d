// JD status tables: every confirmed and simulator code, the KEEP_PRIOR rules, configurability.
import { describe, expect, it } from 'vitest';
import { latestOutboundStatus, mapCancelOutcome, mapInboundStatus } from '../../../src/providers/jd/mapper.ts';

describe('mapInboundStatus', () => {
  it.each([
    ['10', 0, 'SUBMITTED'],
    ['20', 0, 'SUBMITTED'],
    ['20', 3, 'RECEIVING'],
    ['70', 5, 'COMPLETED'],
    ['90', 0, 'CANCELLING'],
    ['91', 0, 'CANCELLED'],
    ['92', 0, 'SUBMITTED'],
    ['92', 2, 'RECEIVING'],
  ] as const)('poOrderStatus %s with %i received → %s', (raw, received, status) => {
    expect(mapInboundStatus(raw, received)).toBe(status);
  });

  it('returns null for an unknown code, and follows a configured table', () => {
    expect(mapInboundStatus('55', 0)).toBeNull();
    expect(mapInboundStatus('20', 0, { '20': 'IN_TRANSIT' })).toBe('IN_TRANSIT');
  });
});

describe('latestOutboundStatus', () => {
  const at = (soStatusCode: string, operateTime: string) => ({ soStatusCode, operateTime });

  it.each([
    ['10010', 'CREATED'],
    ['10012', 'ACCEPTED'],
    ['10014', 'PICKING'],
    ['10016', 'PICKING'],
    ['10018', 'PACKED'],
    ['10019', 'COMPLETED'],
    ['10028', 'CANCELLED'],
    ['99999', 'EXCEPTION'],
  ] as const)('soStatusCode %s → %s', (raw, status) => {
    expect(latestOutboundStatus([at(raw, '2026-01-01 10:00:00')])).toMatchObject({ rawStatus: raw, status });
  });

  it('takes the latest by operateTime, not list order', () => {
    const entries = [at('10014', '2026-01-01 10:05:00'), at('10010', '2026-01-01 10:00:00'), at('10012', '2026-01-01 10:01:00')];

    expect(latestOutboundStatus(entries)).toEqual({ rawStatus: '10014', status: 'PICKING', changedAt: '2026-01-01 10:05:00' });
  });

  it('keeps the prior status after a failed cancel (10029), raw value kept', () => {
    const entries = [at('10010', '2026-01-01 10:00:00'), at('10014', '2026-01-01 10:01:00'), at('10029', '2026-01-01 10:02:00')];

    expect(latestOutboundStatus(entries)).toMatchObject({ rawStatus: '10029', status: 'PICKING' });
    expect(latestOutboundStatus([at('10029', '2026-01-01 10:02:00')])).toMatchObject({ status: 'EXCEPTION' });
  });

  it('is null without entries and follows a configured table', () => {
    expect(latestOutboundStatus([])).toBeNull();
    expect(latestOutboundStatus([at('10016', '2026-01-01 10:00:00')], { '10016': 'PACKED' })).toMatchObject({ status: 'PACKED' });
  });
});

describe('mapCancelOutcome', () => {
  it('maps 1/2/3 and nothing else', () => {
    expect([mapCancelOutcome('1'), mapCancelOutcome('2'), mapCancelOutcome('3'), mapCancelOutcome('9')]).toEqual(['CANCELLED', 'REFUSED', 'CANCELLING', null]);
  });
});
