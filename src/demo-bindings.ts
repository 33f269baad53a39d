// Simulator mode, first start: the demo merchant gets an ECCANG and a JD binding to the
// in-process simulators, as if the merchant had bound them (JD's login page included).
import type { RequestContext } from './context.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';
import { SIMULATOR_ACCOUNTS } from './provider-runtime.ts';
import { bindEccang } from './services/eccang-binding.service.ts';
import { bindJd, completeJdAuthorization } from './services/jd-binding.service.ts';
import type { ProviderAccess } from './services/provider-access.ts';
import { addProductsToWarehouse } from './services/warehouse-product.service.ts';

export async function bindDemoIntegrations(
  deps: { db: Database; providers: ProviderAccess; log: Logger },
  merchantId: string,
  eccangUrl: string,
): Promise<void> {
  if ((await deps.db.prisma.integration.count({ where: { merchantId } })) > 0) return;
  const ctx: RequestContext = { ...deps, viewer: { tokenId: 'demo-seed', role: 'OWNER', merchantId }, requestId: 'demo-seed' };
  const eccang = await bindEccang(ctx, { ...SIMULATOR_ACCOUNTS.eccangDemo, baseUrl: eccangUrl, customerCode: 'DEMO', subscribeNews: true, name: 'Demo ECCANG (simulator)' });
  if (!eccang.ok) deps.log.warn({ userErrors: eccang.userErrors }, 'demo ECCANG binding failed');

  const jd = await bindJd(ctx, { mode: 'QUICK', pin: 'demo_pin', deptNo: SIMULATOR_ACCOUNTS.jdDeptNo, warehouseNo: SIMULATOR_ACCOUNTS.jdWarehouseNos[0]!, subscribeMessages: true });
  if (!jd.ok) return deps.log.warn({ userErrors: jd.userErrors }, 'demo JD binding failed');
  // The simulator's login page approves at once and redirects with a code: follow it as a browser would.
  const login = await fetch(jd.value.authorizationUrl, { redirect: 'manual' });
  const callback = new URL(login.headers.get('location') ?? '', 'http://invalid');
  const completed = await completeJdAuthorization(deps, {
    state: callback.searchParams.get('state') ?? '',
    code: callback.searchParams.get('code') ?? '',
    merchantId,
  });
  if (!completed.ok) deps.log.warn({ userErrors: completed.userErrors }, 'demo JD binding failed');
  await placeCatalogueInWarehousesOf(ctx);
}

/** The demo SKUs go into every 3PL warehouse too, so the outbox pushes them as products. */
async function placeCatalogueInWarehousesOf(ctx: RequestContext): Promise<void> {
  const merchantId = ctx.viewer!.merchantId!;
  const skus = await ctx.db.prisma.masterSku.findMany({ where: { merchantId }, select: { id: true } });
  const warehouses = await ctx.db.prisma.warehouse.findMany({ where: { merchantId, kind: 'THIRD_PARTY' }, select: { id: true } });
  for (const warehouse of warehouses) {
    const placed = await addProductsToWarehouse(ctx, { warehouseId: warehouse.id, masterSkuIds: skus.map((sku) => sku.id) });
    if (!placed.ok) ctx.log.warn({ userErrors: placed.userErrors }, 'demo placement failed');
  }
}
