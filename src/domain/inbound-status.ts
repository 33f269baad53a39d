// The inbound list status machine: DRAFT → SUBMITTED → IN_TRANSIT → RECEIVING, then one of
// the finals COMPLETED, REJECTED, CANCELLED. A late or replayed provider message never moves
// a list back, and a final status never changes again.
import type { InboundStatus } from '../generated/prisma/enums.ts';
import { type StatusStep, statusMachine } from './monotonic-status.ts';

export const inboundStatusMachine = statusMachine<InboundStatus>({
  progress: ['DRAFT', 'SUBMITTED', 'IN_TRANSIT', 'RECEIVING'],
  // REJECTED and CANCELLED are the provider's last word, so they are accepted from anywhere:
  // nothing the provider sends after them can be newer.
  finals: ['COMPLETED', 'REJECTED', 'CANCELLED'],
  // Once goods are being received a cancel is refused, so a CANCELLING then is a stale message.
  // A failed cancel is reported as the list's progress again (JD 92 maps to it), which leaves
  // CANCELLING for any progress at least as far as the list had reached.
  sides: { CANCELLING: 'IN_TRANSIT' },
});

/** Where an inbound list goes on a reported status; `reached` is its furthest progress so far. */
export function nextInboundStatus(current: InboundStatus, reported: InboundStatus, reached?: InboundStatus): StatusStep<InboundStatus> {
  return inboundStatusMachine.next(current, reported, reached);
}

export function isFinalInboundStatus(status: InboundStatus): boolean {
  return inboundStatusMachine.isFinal(status);
}
