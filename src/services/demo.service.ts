// Demo mode: an empty non-production database gets a demo merchant, tokens to explore with,
// and a small catalogue (a warehouse, a store, stocked SKUs) so the first query shows something.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { generateApiToken, hashApiToken } from '../domain/api-token.ts';
import { issueApiToken } from './auth.service.ts';
import { applyStockMovements } from './stock.service.ts';

export interface DemoTokens {
  ownerToken: string;
  supportToken: string;
  serviceToken: string;
}

export interface DemoOptions {
  dataDir: string;
  ownerToken?: string;
  supportToken?: string;
  serviceToken?: string;
}

const DEMO_TOKENS_FILE = 'demo-tokens.json';
const demoTokensSchema = z.object({ ownerToken: z.string(), supportToken: z.string(), serviceToken: z.string() });

const DEMO_PRODUCTS = [
  { sku: 'TSHIRT-RED-M', name: 'T-shirt red M', channelSku: 'SHP-TS-RED-M', onHand: 120 },
  { sku: 'MUG-WHITE', name: 'Mug white 350 ml', channelSku: 'SHP-MUG-WHT', onHand: 48 },
  { sku: 'TOTE-NAVY', name: 'Tote bag navy', channelSku: 'SHP-TOTE-NVY', onHand: 0 },
];

export const DEMO_SKUS: readonly string[] = DEMO_PRODUCTS.map((product) => product.sku);

/** The merchant the demo OWNER token acts for. */
export async function demoMerchantId(db: Database, tokens: DemoTokens): Promise<string | null> {
  const token = await db.prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(tokens.ownerToken) }, select: { merchantId: true } });
  return token?.merchantId ?? null;
}

/**
 * Seeds the demo merchant when the database has no merchant yet. Token values come from the
 * environment, else from DATA_DIR (generated once), so they stay the same across restarts.
 * Returns the tokens when they are valid in this database, so start-up can print them.
 */
export async function ensureDemoMerchant(db: Database, options: DemoOptions): Promise<DemoTokens | null> {
  const tokens = await demoTokenValues(options);
  if ((await db.prisma.merchant.count()) === 0) {
    const merchantId = await seedDemoCatalogue(db);
    await issueApiToken(db, { merchantId, role: 'OWNER', name: 'Demo owner', token: tokens.ownerToken });
    await issueApiToken(db, { merchantId, role: 'SERVICE', name: 'Demo order service', token: tokens.serviceToken });
    await issueApiToken(db, { merchantId: null, role: 'SUPPORT', name: 'Demo support', token: tokens.supportToken });
    return tokens;
  }
  const values = Object.values(tokens);
  const known = await db.prisma.apiToken.count({
    where: { tokenHash: { in: values.map(hashApiToken) }, revokedAt: null },
  });
  return known === values.length ? tokens : null;
}

async function seedDemoCatalogue(db: Database): Promise<string> {
  return db.prisma.$transaction(async (tx) => {
    const merchant = await tx.merchant.create({ data: { name: 'Demo Merchant' } });
    const merchantId = merchant.id;
    const warehouse = await tx.warehouse.create({ data: { merchantId, kind: 'OWN', name: 'Demo Jakarta DC', country: 'ID' } });
    const store = await tx.store.create({
      data: { merchantId, channel: 'SHOPEE', country: 'ID', name: 'Demo Shopee ID', externalId: 'demo-shopee-1' },
    });
    await tx.shippingRule.create({ data: { merchantId, storeId: store.id, warehouseId: warehouse.id, priority: 1 } });
    for (const product of DEMO_PRODUCTS) {
      // Full dimensions and customs data: ECCANG needs them to take a product.
      const sku = await tx.masterSku.create({
        data: { merchantId, sku: product.sku, name: product.name, weightGrams: 300, lengthMm: 200, widthMm: 150, heightMm: 50, declaredValueCents: 500, declaredName: product.name },
      });
      await tx.channelSku.create({ data: { merchantId, storeId: store.id, code: product.channelSku, masterSkuId: sku.id } });
      await tx.warehouseProduct.create({
        data: { merchantId, warehouseId: warehouse.id, masterSkuId: sku.id, pushStatus: 'NOT_REQUIRED' },
      });
      await applyStockMovements(tx, [
        {
          merchantId,
          warehouseId: warehouse.id,
          masterSkuId: sku.id,
          reason: 'MANUAL_ADJUSTMENT',
          onHandDelta: product.onHand,
          actor: 'demo-seed',
          idempotencyKey: `demo-seed:${sku.id}`,
          note: 'Demo opening stock',
        },
      ]);
    }
    return merchantId;
  });
}

async function demoTokenValues(options: DemoOptions): Promise<DemoTokens> {
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
    serviceToken: options.serviceToken ?? stored?.serviceToken ?? generateApiToken(),
  };
  if (JSON.stringify(stored) !== JSON.stringify(tokens)) {
    await fs.mkdir(options.dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  }
  return tokens;
}
