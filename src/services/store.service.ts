// Stores on sales channels, and the links from their channel SKUs to Master SKUs.
import { z } from 'zod';
import { merchantIdOf, type RequestContext } from '../context.ts';
import type { ChannelSku, Prisma, Store } from '../generated/prisma/client.ts';
import { Channel, CountryCode } from '../generated/prisma/enums.ts';
import { reevaluateOpenOrders } from './order-writes.ts';
import { fail, isUniqueViolation, parseInput, type ServiceResult, succeed, type UserError } from './user-errors.ts';

export const STORE_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND'] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

const MAX_BULK_LINKS = 1_000;

const storeSchema = z.object({
  channel: z.enum(Channel),
  country: z.enum(CountryCode),
  name: z.string().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters'),
  externalId: z.string().trim().min(1, 'must not be blank').max(128, 'must be at most 128 characters'),
});

const channelSkuCode = z.string().trim().min(1, 'must not be blank').max(128, 'must be at most 128 characters');

export type CreateStoreInput = z.input<typeof storeSchema>;

const storeTaken = () =>
  fail<StoreErrorCode>({
    field: ['input', 'externalId'],
    message: 'This channel shop is already a store of this merchant',
    code: 'TAKEN',
  });

export async function createStore(ctx: RequestContext, input: CreateStoreInput): Promise<ServiceResult<Store, StoreErrorCode>> {
  const parsed = parseInput(storeSchema, input, ['input'], 'INVALID' as StoreErrorCode);
  if (!parsed.ok) return parsed;
  try {
    return succeed(await ctx.db.prisma.store.create({ data: { ...parsed.value, merchantId: merchantIdOf(ctx) } }));
  } catch (error) {
    if (isUniqueViolation(error)) return storeTaken();
    throw error;
  }
}

export async function renameStore(ctx: RequestContext, storeId: string, name: string): Promise<ServiceResult<Store, StoreErrorCode>> {
  const parsed = parseInput(storeSchema.shape.name, name, ['input', 'name'], 'INVALID' as StoreErrorCode);
  if (!parsed.ok) return parsed;
  const where = { id: storeId, merchantId: merchantIdOf(ctx) };
  const { count } = await ctx.db.prisma.store.updateMany({ where, data: { name: parsed.value } });
  if (count === 0) return fail({ field: ['id'], message: 'No such store', code: 'NOT_FOUND' });
  return succeed(await ctx.db.prisma.store.findUniqueOrThrow({ where }));
}

export interface ChannelSkuLink {
  storeId: string;
  channelSkuCode: string;
  /** The Master SKU's code; null unlinks. */
  masterSku: string | null;
}

/**
 * Links (or unlinks) channel SKUs to Master SKUs by code, creating channel SKUs not seen yet.
 * All-or-nothing: every problem is reported with its index, and then nothing is written.
 */
export async function linkChannelSkus(
  ctx: RequestContext,
  links: ChannelSkuLink[],
): Promise<ServiceResult<ChannelSku[], StoreErrorCode>> {
  const merchantId = merchantIdOf(ctx);
  if (links.length === 0 || links.length > MAX_BULK_LINKS) {
    return fail({ field: ['input', 'links'], message: `give 1 to ${MAX_BULK_LINKS} links`, code: 'INVALID' });
  }
  const storeIds = [...new Set(links.map((link) => link.storeId))];
  const skuCodes = [...new Set(links.flatMap((link) => (link.masterSku ? [link.masterSku.trim()] : [])))];
  const [stores, masterSkus] = await Promise.all([
    ctx.db.prisma.store.findMany({ where: { merchantId, id: { in: storeIds } }, select: { id: true } }),
    ctx.db.prisma.masterSku.findMany({ where: { merchantId, sku: { in: skuCodes } }, select: { id: true, sku: true } }),
  ]);
  const knownStores = new Set(stores.map((store) => store.id));
  const masterSkuIdByCode = new Map(masterSkus.map((sku) => [sku.sku, sku.id]));

  const errors: UserError<StoreErrorCode>[] = [];
  const seen = new Set<string>();
  const rows = links.map((link, index) => {
    const path = ['input', 'links', String(index)];
    const code = channelSkuCode.safeParse(link.channelSkuCode);
    if (!knownStores.has(link.storeId)) errors.push({ field: [...path, 'storeId'], message: 'No such store', code: 'NOT_FOUND', index });
    if (!code.success) {
      errors.push({ field: [...path, 'channelSkuCode'], message: `channelSkuCode ${code.error.issues[0]!.message}`, code: 'INVALID', index });
    } else if (seen.has(`${link.storeId}\u0000${code.data}`)) {
      errors.push({ field: [...path, 'channelSkuCode'], message: 'appears twice for this store', code: 'INVALID', index });
    }
    if (code.success) seen.add(`${link.storeId}\u0000${code.data}`);
    const masterSkuId = link.masterSku ? masterSkuIdByCode.get(link.masterSku.trim()) : null;
    if (masterSkuId === undefined) {
      errors.push({ field: [...path, 'masterSku'], message: `No Master SKU "${link.masterSku}"`, code: 'NOT_FOUND', index });
    }
    return { storeId: link.storeId, code: code.data ?? '', masterSkuId: masterSkuId ?? null };
  });
  if (errors.length > 0) return fail(...errors);

  const saved = await ctx.db.prisma.$transaction(async (tx) => {
    const channelSkus = [];
    for (const row of rows) {
      channelSkus.push(
        await tx.channelSku.upsert({
          where: { storeId_code: { storeId: row.storeId, code: row.code } },
          create: { merchantId, storeId: row.storeId, code: row.code, masterSkuId: row.masterSkuId },
          update: { masterSkuId: row.masterSkuId },
        }),
      );
    }
    // Open orders naming these SKUs may have just become (in)eligible for a 3PL push.
    for (const storeId of storeIds) await reevaluateOpenOrders(tx, merchantId, { storeId });
    return channelSkus;
  });
  return succeed(saved);
}

export interface StoreFilter {
  channel?: Channel | null;
  country?: CountryCode | null;
  /** The store name (contains, case-insensitive) or the exact channel shop id. */
  text?: string | null;
}

export function storeWhere(ctx: RequestContext, filter: StoreFilter | null | undefined): Prisma.StoreWhereInput {
  const text = filter?.text?.trim();
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.channel ? { channel: filter.channel } : {}),
    ...(filter?.country ? { country: filter.country } : {}),
    ...(text ? { OR: [{ name: { contains: text, mode: 'insensitive' } }, { externalId: text }] } : {}),
  };
}
