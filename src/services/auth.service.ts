// Turns a bearer token (and SUPPORT's merchant choice) into a Viewer; issues tokens.
import type { Viewer } from '../context.ts';
import type { Database } from '../db/database.ts';
import { displayPrefix, generateApiToken, hashApiToken, parseBearer } from '../domain/api-token.ts';
import type { Role } from '../generated/prisma/enums.ts';

export type AuthFailure = 'MALFORMED_TOKEN' | 'INVALID_TOKEN' | 'UNKNOWN_MERCHANT';

export const AUTH_FAILURE_MESSAGES: Record<AuthFailure, string> = {
  MALFORMED_TOKEN: 'Malformed Authorization header: expected "Bearer <token>"',
  INVALID_TOKEN: 'Invalid or revoked API token',
  UNKNOWN_MERCHANT: 'X-Merchant-Id names no merchant',
};

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticate(
  db: Database,
  authorization: string | null,
  selectedMerchantId: string | null,
): Promise<{ viewer: Viewer | null } | { failure: AuthFailure }> {
  const token = parseBearer(authorization);
  if (token === null) return { viewer: null };
  if (token === 'malformed') return { failure: 'MALFORMED_TOKEN' };

  const record = await db.prisma.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, role: true, merchantId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!record || record.revokedAt) return { failure: 'INVALID_TOKEN' };

  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
  }

  let merchantId = record.merchantId;
  // Only SUPPORT may choose a merchant; for everyone else the header is ignored.
  if (record.role === 'SUPPORT' && selectedMerchantId) {
    const merchant = await db.prisma.merchant.findUnique({
      where: { id: selectedMerchantId },
      select: { id: true },
    });
    if (!merchant) return { failure: 'UNKNOWN_MERCHANT' };
    merchantId = merchant.id;
  }
  return { viewer: { tokenId: record.id, role: record.role, merchantId } };
}

export interface IssueTokenInput {
  merchantId: string | null;
  role: Role;
  name: string;
  /** A fixed token value (demo mode); random otherwise. */
  token?: string;
}

/** Creates a token and returns its only plain-text copy. */
export async function issueApiToken(db: Database, input: IssueTokenInput): Promise<string> {
  if ((input.role === 'SUPPORT') !== (input.merchantId === null)) {
    throw new Error('SUPPORT tokens belong to no merchant; every other role belongs to one');
  }
  const token = input.token ?? generateApiToken();
  await db.prisma.apiToken.create({
    data: {
      merchantId: input.merchantId,
      role: input.role,
      name: input.name,
      tokenHash: hashApiToken(token),
      prefix: displayPrefix(token),
    },
  });
  return token;
}
