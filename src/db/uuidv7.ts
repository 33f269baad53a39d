// UUIDv7 ids, like the ones Prisma gives rows, for rows written by raw bulk SQL.
import { randomBytes } from 'node:crypto';

let lastMillisecond = 0;
let sequenceInMillisecond = 0;

/** Ids made in the same millisecond count up, so a batch's rows sort in the order they were made. */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMillisecond) {
    lastMillisecond = now;
    sequenceInMillisecond = 0;
  } else if (++sequenceInMillisecond > 0xfff) {
    lastMillisecond++;
    sequenceInMillisecond = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMillisecond, 0, 6);
  bytes[6] = 0x70 | (sequenceInMillisecond >> 8);
  bytes[7] = sequenceInMillisecond & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
