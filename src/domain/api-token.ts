// API token format and hashing. Tokens are 256-bit random, so a plain SHA-256 is enough.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'fgw_';

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What lists show to tell tokens apart without revealing them. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

/** Reads `Bearer <token>`; null when absent, 'malformed' when present but unusable. */
export function parseBearer(header: string | null | undefined): string | null | 'malformed' {
  if (header == null || header.trim() === '') return null;
  const match = /^Bearer\s+(\S{20,200})\s*$/i.exec(header);
  return match ? match[1]! : 'malformed';
}
