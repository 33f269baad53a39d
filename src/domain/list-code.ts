// Human-readable list codes, unique per merchant; sent to providers as our reference number.
import { randomInt } from 'node:crypto';

// Crockford base32: no I, L, O, U, so codes read back over the phone unambiguously.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** e.g. IN-20261123-7K3QX9: prefix, UTC date, 6 random characters (~1e9 per day). */
export function newListCode(prefix: 'IN' | 'OUT', now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${date}-${suffix}`;
}
