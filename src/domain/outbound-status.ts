// The outbound list status machine: CREATED → ACCEPTED → PICKING → PACKED, detours ON_HOLD,
// EXCEPTION and CANCELLING, and the finals COMPLETED and CANCELLED. A late or replayed
// provider message never moves a list back, and a final status never changes again.
import type { OutboundStatus } from '../generated/prisma/enums.ts';
import { type StatusStep, statusMachine } from './monotonic-status.ts';

export const outboundStatusMachine = statusMachine<OutboundStatus>({
  progress: ['CREATED', 'ACCEPTED', 'PICKING', 'PACKED'],
  finals: ['COMPLETED', 'CANCELLED'],
  sides: {
    // A held or failed order resumes at the progress it had reached or further (ECCANG's
    // H → W is a resume to ACCEPTED), never before it.
    ON_HOLD: null,
    EXCEPTION: null,
    // Both providers refuse a cancel from picking on (DESIGN "Outbound"), so a CANCELLING
    // after that is stale. A refused cancel comes back as progress (or EXCEPTION from JD's
    // 10029 with no earlier code), which leaves CANCELLING like any detour.
    CANCELLING: 'ACCEPTED',
  },
});

/** Where an outbound list goes on a reported status; `reached` is its furthest progress so far. */
export function nextOutboundStatus(current: OutboundStatus, reported: OutboundStatus, reached?: OutboundStatus): StatusStep<OutboundStatus> {
  return outboundStatusMachine.next(current, reported, reached);
}

export function isFinalOutboundStatus(status: OutboundStatus): boolean {
  return outboundStatusMachine.isFinal(status);
}
