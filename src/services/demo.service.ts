// Demo mode: an empty non-production database gets a demo merchant and two tokens to explore with.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { generateApiToken, hashApiToken } from '../domain/api-token.ts';
import { issueApiToken } from './auth.service.ts';

export interface DemoTokens {
  ownerToken: string;
  supportToken: string;
}

const DEMO_TOKENS_FILE = 'demo-tokens.json';
const demoTokensSchema = z.object({ ownerToken: z.string(), supportToken: z.string() });

/**
 * Seeds the demo merchant when the database has no merchant yet. Token values come from the
 * environment, else from DATA_DIR (generated once), so they stay the same across restarts.
 * Returns the tokens when they are valid in this database, so start-up can print them.
 */
export async function ensureDemoMerchant(
  db: Database,
  options: { dataDir: string; ownerToken?: string; supportToken?: string },
): Promise<DemoTokens | null> {
  const tokens = await demoTokenValues(options);
  if ((await db.prisma.merchant.count()) === 0) {
    const merchant = await db.prisma.merchant.create({ data: { name: 'Demo Merchant' } });
    await issueApiToken(db, { merchantId: merchant.id, role: 'OWNER', name: 'Demo owner', token: tokens.ownerToken });
    await issueApiToken(db, { merchantId: null, role: 'SUPPORT', name: 'Demo support', token: tokens.supportToken });
    return tokens;
  }
  const known = await db.prisma.apiToken.count({
    where: { tokenHash: { in: [hashApiToken(tokens.ownerToken), hashApiToken(tokens.supportToken)] }, revokedAt: null },
  });
  return known === 2 ? tokens : null;
}

async function demoTokenValues(options: { dataDir: string; ownerToken?: string; supportToken?: string }): Promise<DemoTokens> {
  const file = path.join(options.dataDir, DEMO_TOKENS_FILE);
  let stored: DemoTokens | null = null;
  try {
    stored = demoTokensSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    stored = null;
  }
  const tokens = {
    ownerToken: options.ownerToken ?? stored?.ownerToken ?? generateApiToken(),
    supportToken: options.supportToken ?? stored?.supportToken ?? generateApiToken(),
  };
  if (!stored || stored.ownerToken !== tokens.ownerToken || stored.supportToken !== tokens.supportToken) {
    await fs.mkdir(options.dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  }
  return tokens;
}
