import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inboundStatusMachine, isFinalInboundStatus, nextInboundStatus } from '../../src/domain/inbound-status.ts';
import type { StatusMachine } from '../../src/domain/monotonic-status.ts';
import { isFinalOutboundStatus, nextOutboundStatus, outboundStatusMachine } from '../../src/domain/outbound-status.ts';
import { InboundStatus, OutboundStatus } from '../../src/generated/prisma/enums.ts';

interface Position<S extends string> {
  status: S;
  reached: S;
}

const MACHINES = [
  { name: 'inbound', machine: inboundStatusMachine as StatusMachine<string>, statuses: Object.values<string>(InboundStatus), start: 'DRAFT' },
  { name: 'outbound', machine: outboundStatusMachine as StatusMachine<string>, statuses: Object.values<string>(OutboundStatus), start: 'CREATED' },
];

function fold(machine: StatusMachine<string>, from: Position<string>, reports: readonly string[]): Position<string> {
  let position = from;
  for (const reported of reports) {
    const step = machine.next(position.status, reported, position.reached);
    position = { status: step.status, reached: step.reached };
  }
  return position;
}

/** Higher is further: a final above every progress, otherwise the progress reached. */
const rankOf = (machine: StatusMachine<string>, position: Position<string>) =>
  machine.isFinal(position.status) ? Infinity : machine.progressRank(position.reached);

describe.each(MACHINES)('the $name status machine', ({ machine, statuses, start }) => {
  const status = fc.constantFrom(...statuses);
  const reports = fc.array(status, { maxLength: 25 });
  /** Any position a list can be in: wherever some sequence of reports takes a new list. */
  const position = reports.map((history) => fold(machine, { status: start, reached: start }, history));

  it('never moves a list back: progress reached never falls, a list on the chain is at it, a final status absorbs the rest', () => {
    fc.assert(
      fc.property(position, reports, (from, sequence) => {
        let current = from;
        for (const reported of sequence) {
          const step = machine.next(current.status, reported, current.reached);
          const after = { status: step.status, reached: step.reached };
          expect(rankOf(machine, after)).toBeGreaterThanOrEqual(rankOf(machine, current));
          // On the chain, a list is always at the furthest progress it reached.
          if (machine.progressRank(after.status) >= 0) expect(after.status).toBe(after.reached);
          if (machine.isFinal(current.status)) expect(step).toEqual({ ...current, changed: false });
          expect(step.changed).toBe(step.status !== current.status);
          if (step.changed) expect(step.status).toBe(reported);
          current = after;
        }
      }),
    );
  });

  it('ignores a duplicate: the same report twice in a row, or the same sequence applied again, changes nothing more', () => {
    fc.assert(
      fc.property(position, reports, (from, sequence) => {
        const once = fold(machine, from, sequence);
        const doubled = fold(
          machine,
          from,
          sequence.flatMap((reported) => [reported, reported]),
        );

        expect(fold(machine, once, sequence)).toEqual(once);
        expect(doubled).toEqual(once);
      }),
    );
  });

  it('ends, whatever the order of the reports, at the furthest progress reported or at a final one of them', () => {
    const shuffled = reports.chain((sequence) =>
      fc.tuple(fc.constant(sequence), fc.shuffledSubarray(sequence, { minLength: sequence.length, maxLength: sequence.length })),
    );
    fc.assert(
      fc.property(position, shuffled, (from, [sequence, permutation]) => {
        const inOrder = fold(machine, from, sequence);
        const reordered = fold(machine, from, permutation);

        expect(machine.isFinal(reordered.status)).toBe(machine.isFinal(inOrder.status));
        if (machine.isFinal(from.status)) {
          expect(reordered).toEqual(from);
        } else if (sequence.some(machine.isFinal)) {
          expect(reordered.status).toBe(permutation.find(machine.isFinal));
        } else {
          // The forward closure of a report is its progress: the list ends at least that far.
          expect(reordered.reached).toBe(machine.reachedOf([from.reached, ...sequence]));
          expect(reordered.reached).toBe(inOrder.reached);
          for (const reported of sequence) {
            expect(machine.progressRank(reordered.reached)).toBeGreaterThanOrEqual(machine.progressRank(reported));
          }
        }
      }),
    );
  });

  it('reaches every status from a new list', () => {
    for (const target of statuses) {
      if (target === start) continue;
      expect(machine.next(start, target).status, target).toBe(target);
    }
  });
});

describe('inbound rules', () => {
  it.each([
    // forward, skipping is fine: the provider reports where the list is now
    ['DRAFT', 'SUBMITTED', undefined, 'SUBMITTED'],
    ['SUBMITTED', 'RECEIVING', undefined, 'RECEIVING'],
    ['RECEIVING', 'COMPLETED', undefined, 'COMPLETED'],
    ['SUBMITTED', 'COMPLETED', undefined, 'COMPLETED'],
    // late messages are ignored
    ['RECEIVING', 'IN_TRANSIT', undefined, 'RECEIVING'],
    ['IN_TRANSIT', 'DRAFT', undefined, 'IN_TRANSIT'],
    ['SUBMITTED', 'SUBMITTED', undefined, 'SUBMITTED'],
    // finals absorb
    ['COMPLETED', 'RECEIVING', undefined, 'COMPLETED'],
    ['COMPLETED', 'CANCELLED', undefined, 'COMPLETED'],
    ['CANCELLED', 'COMPLETED', undefined, 'CANCELLED'],
    ['REJECTED', 'SUBMITTED', undefined, 'REJECTED'],
    // the provider's refusal or cancellation is final from anywhere
    ['SUBMITTED', 'REJECTED', undefined, 'REJECTED'],
    ['RECEIVING', 'CANCELLED', undefined, 'CANCELLED'],
    ['CANCELLING', 'REJECTED', 'SUBMITTED', 'REJECTED'],
    // cancelling: only before goods are received
    ['SUBMITTED', 'CANCELLING', undefined, 'CANCELLING'],
    ['IN_TRANSIT', 'CANCELLING', undefined, 'CANCELLING'],
    ['RECEIVING', 'CANCELLING', undefined, 'RECEIVING'],
    ['CANCELLING', 'CANCELLED', 'IN_TRANSIT', 'CANCELLED'],
    // a failed cancel: back to the progress reached, or further; never behind it
    ['CANCELLING', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED'],
    ['CANCELLING', 'RECEIVING', 'SUBMITTED', 'RECEIVING'],
    ['CANCELLING', 'SUBMITTED', 'IN_TRANSIT', 'CANCELLING'],
    ['CANCELLING', 'COMPLETED', 'IN_TRANSIT', 'COMPLETED'],
  ] as const)('%s + reported %s (reached %s) → %s', (current, reported, reached, expected) => {
    expect(nextInboundStatus(current, reported, reached)).toMatchObject({ status: expected, changed: expected !== current });
  });

  it('counts COMPLETED, REJECTED and CANCELLED as final', () => {
    expect(Object.values(InboundStatus).filter(isFinalInboundStatus)).toEqual(['COMPLETED', 'REJECTED', 'CANCELLED']);
  });

  it('remembers the progress reached across a detour', () => {
    expect(nextInboundStatus('IN_TRANSIT', 'CANCELLING')).toEqual({ status: 'CANCELLING', reached: 'IN_TRANSIT', changed: true });
    expect(nextInboundStatus('CANCELLING', 'RECEIVING', 'IN_TRANSIT')).toEqual({ status: 'RECEIVING', reached: 'RECEIVING', changed: true });
  });
});

describe('outbound rules', () => {
  it.each([
    ['CREATED', 'ACCEPTED', undefined, 'ACCEPTED'],
    ['ACCEPTED', 'PACKED', undefined, 'PACKED'],
    ['PACKED', 'COMPLETED', undefined, 'COMPLETED'],
    ['CREATED', 'COMPLETED', undefined, 'COMPLETED'],
    // late messages are ignored
    ['PICKING', 'ACCEPTED', undefined, 'PICKING'],
    ['PACKED', 'CREATED', undefined, 'PACKED'],
    ['ACCEPTED', 'ACCEPTED', undefined, 'ACCEPTED'],
    // finals absorb
    ['COMPLETED', 'PACKED', undefined, 'COMPLETED'],
    ['COMPLETED', 'CANCELLED', undefined, 'COMPLETED'],
    ['CANCELLED', 'COMPLETED', undefined, 'CANCELLED'],
    ['CANCELLED', 'ON_HOLD', undefined, 'CANCELLED'],
    // hold and exception: from anywhere not final, resumed at the progress reached or further
    ['CREATED', 'ON_HOLD', undefined, 'ON_HOLD'],
    ['PACKED', 'EXCEPTION', undefined, 'EXCEPTION'],
    ['ON_HOLD', 'EXCEPTION', 'PICKING', 'EXCEPTION'],
    ['EXCEPTION', 'ON_HOLD', 'PICKING', 'ON_HOLD'],
    ['ON_HOLD', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED'],
    ['ON_HOLD', 'PACKED', 'ACCEPTED', 'PACKED'],
    ['ON_HOLD', 'CREATED', 'ACCEPTED', 'ON_HOLD'],
    ['EXCEPTION', 'ACCEPTED', 'PACKED', 'EXCEPTION'],
    ['ON_HOLD', 'COMPLETED', 'PICKING', 'COMPLETED'],
    ['EXCEPTION', 'CANCELLED', 'PACKED', 'CANCELLED'],
    // cancelling: only until the warehouse starts picking
    ['ACCEPTED', 'CANCELLING', undefined, 'CANCELLING'],
    ['PICKING', 'CANCELLING', undefined, 'PICKING'],
    ['ON_HOLD', 'CANCELLING', 'ACCEPTED', 'CANCELLING'],
    ['ON_HOLD', 'CANCELLING', 'PACKED', 'ON_HOLD'],
    ['CANCELLING', 'CANCELLED', 'ACCEPTED', 'CANCELLED'],
    // a refused cancel: back to the progress reached or further, or EXCEPTION (JD 10029)
    ['CANCELLING', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED'],
    ['CANCELLING', 'PICKING', 'ACCEPTED', 'PICKING'],
    ['CANCELLING', 'CREATED', 'ACCEPTED', 'CANCELLING'],
    ['CANCELLING', 'EXCEPTION', 'ACCEPTED', 'EXCEPTION'],
    ['CANCELLING', 'COMPLETED', 'ACCEPTED', 'COMPLETED'],
  ] as const)('%s + reported %s (reached %s) → %s', (current, reported, reached, expected) => {
    expect(nextOutboundStatus(current, reported, reached)).toMatchObject({ status: expected, changed: expected !== current });
  });

  it('counts COMPLETED and CANCELLED as final', () => {
    expect(Object.values(OutboundStatus).filter(isFinalOutboundStatus)).toEqual(['COMPLETED', 'CANCELLED']);
  });

  it('assumes a detour without history started at the first progress status', () => {
    expect(nextOutboundStatus('ON_HOLD', 'CREATED')).toEqual({ status: 'CREATED', reached: 'CREATED', changed: true });
  });

  it('reads the progress reached from a history', () => {
    expect(outboundStatusMachine.reachedOf(['CREATED', 'PICKING', 'ON_HOLD', 'ACCEPTED'])).toBe('PICKING');
    expect(outboundStatusMachine.reachedOf(['ON_HOLD', 'CANCELLED'])).toBe('CREATED');
    expect(outboundStatusMachine.reachedOf([])).toBe('CREATED');
  });
});
