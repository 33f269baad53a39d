// Pushing Master SKUs placed in 3PL warehouses to the provider as products: the PUSH_PRODUCT
// outbox handler, the merchant's repush, and the automatic repush after a Master SKU is fixed.
import { merchantIdOf, type RequestContext } from '../context.ts';
import { isLive } from '../domain/integration.ts';
import type { MasterSku, Prisma, WarehouseProduct } from '../generated/prisma/client.ts';
import type { ChangeSource, IntegrationStatus, PushStatus } from '../generated/prisma/enums.ts';
import { ProviderConfigurationError } from '../providers/registry.ts';
import { ProviderError, type ProviderProduct } from '../providers/types.ts';
import { markAuthFailed } from './integration-status.ts';
import { type CommandOutcome, type OutboxHandler, outcomeOfError, requeueCommands } from './outbox.service.ts';
import { fail, type ServiceResult, succeed } from './user-errors.ts';
import { productPushCommand, type WarehouseProductErrorCode } from './warehouse-product.service.ts';

type Tx = Prisma.TransactionClient;

interface PushResult {
  providerSkuId: string | null;
  /** The placement was pushed (or needs no push) already: nothing to record. */
  alreadyDone: boolean;
}

/** What the provider is told about a Master SKU. */
export function providerProductOf(sku: Pick<MasterSku, keyof ProviderProduct>): ProviderProduct {
  return {
    sku: sku.sku,
    name: sku.name,
    barcode: sku.barcode,
    weightGrams: sku.weightGrams,
    lengthMm: sku.lengthMm,
    widthMm: sku.widthMm,
    heightMm: sku.heightMm,
    declaredValueCents: sku.declaredValueCents,
    declaredName: sku.declaredName,
  };
}

const WAITING_REASON: Record<Exclude<IntegrationStatus, 'ACTIVE' | 'UNBOUND'>, string> = {
  DISABLED: 'is disabled; the product is pushed when it is enabled again',
  AUTH_FAILED: 'was refused by the provider; the product is pushed when its credentials are fixed',
  PENDING_AUTHORIZATION: 'waits for authorization; the product is pushed when it is authorized',
};

/**
 * PUSH_PRODUCT: sends the placement's Master SKU to the warehouse's provider. Only an ACTIVE
 * integration is called; a disabled or refused one makes the command wait (not counting
 * attempts), an unbound one fails it. Provider refusals fail it; outages are retried.
 */
export const productPushHandler: OutboxHandler<PushResult> = {
  async run(command, { db, providers }): Promise<CommandOutcome<PushResult>> {
    const placement = await db.prisma.warehouseProduct.findUnique({
      where: { id: command.subjectId },
      include: { masterSku: true, warehouse: { include: { integration: true } } },
    });
    if (!placement) return { type: 'FAILED', error: 'The placement no longer exists' };
    if (placement.pushStatus === 'PUSHED' || placement.pushStatus === 'NOT_REQUIRED') {
      return { type: 'SUCCEEDED', result: { providerSkuId: placement.providerSkuId, alreadyDone: true } };
    }
    const integration = placement.warehouse.integration;
    if (!integration) return { type: 'FAILED', error: 'The warehouse has no provider integration' };
    const label = `The ${integration.provider} integration "${integration.name}"`;
    if (integration.status === 'UNBOUND') {
      return { type: 'FAILED', error: `${label} is unbound: bind the warehouse account again, then repush` };
    }
    if (!isLive(integration.status)) return { type: 'WAIT', reason: `${label} ${WAITING_REASON[integration.status]}` };

    await db.prisma.$transaction(async (tx) => {
      const { count } = await tx.warehouseProduct.updateMany({
        where: { id: placement.id, pushStatus: placement.pushStatus },
        data: { pushStatus: 'PUSHING' },
      });
      if (count === 1) await recordPushStatus(tx, placement, placement.pushStatus, 'PUSHING', 'SYSTEM');
    });
    try {
      const provider = await providers.forIntegration(integration);
      const { providerSkuId } = await provider.pushProduct(providerProductOf(placement.masterSku));
      return { type: 'SUCCEEDED', result: { providerSkuId, alreadyDone: false } };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'AUTH') {
        return { type: 'WAIT', reason: `${integration.provider} refused the credentials (${error.message}); the product is pushed when they are fixed`, cause: error };
      }
      // The gateway's own configuration (e.g. no JD platform app): an operator fixes it; retrying sooner cannot help.
      if (error instanceof ProviderConfigurationError) return { type: 'WAIT', reason: error.message, cause: error };
      return outcomeOfError(error);
    }
  },

  async settle(tx, command, settlement) {
    const [placement] = await tx.$queryRaw<{ id: string; merchantId: string; pushStatus: PushStatus; integrationId: string | null }[]>`
      SELECT product.id, product."merchantId", product."pushStatus", warehouse."integrationId"
      FROM "WarehouseProduct" AS product JOIN "Warehouse" AS warehouse ON warehouse.id = product."warehouseId"
      WHERE product.id = ${command.subjectId}
      FOR UPDATE OF product`;
    if (!placement) return;
    const { outcome } = settlement;
    if (outcome.type === 'SUCCEEDED') {
      if (outcome.result.alreadyDone) return;
      await tx.warehouseProduct.update({
        where: { id: placement.id },
        data: { pushStatus: 'PUSHED', providerSkuId: outcome.result.providerSkuId, pushedAt: settlement.now, lastPushError: null },
      });
      await recordPushStatus(tx, placement, placement.pushStatus, 'PUSHED', 'SYSTEM');
      return;
    }
    // A pushed placement is not moved back by a stale command.
    if (placement.pushStatus === 'PUSHED' || placement.pushStatus === 'NOT_REQUIRED') return;
    const reason = outcome.type === 'WAIT' ? outcome.reason : outcome.error;
    const to: PushStatus = settlement.status === 'PENDING' ? 'PENDING' : 'FAILED';
    const lastPushError =
      settlement.status === 'DEAD' ? `${reason} (gave up after ${settlement.attempts} attempts; repush to try again)` : reason;
    await tx.warehouseProduct.update({ where: { id: placement.id }, data: { pushStatus: to, lastPushError } });
    await recordPushStatus(tx, placement, placement.pushStatus, to, 'SYSTEM', { error: lastPushError });
    if (outcome.cause instanceof ProviderError && outcome.cause.code === 'AUTH' && placement.integrationId) {
      await markAuthFailed(tx, { merchantId: placement.merchantId, integrationId: placement.integrationId, reason: outcome.cause.message });
    }
  },
};

async function recordPushStatus(
  tx: Tx,
  placement: { id: string; merchantId: string },
  from: PushStatus,
  to: PushStatus,
  source: ChangeSource,
  detail?: Record<string, string>,
): Promise<void> {
  if (from === to) return;
  await tx.statusChange.create({
    data: { merchantId: placement.merchantId, subjectType: 'WAREHOUSE_PRODUCT', subjectId: placement.id, fromStatus: from, toStatus: to, source, detail },
  });
}

type RepushResult = ServiceResult<WarehouseProduct, WarehouseProductErrorCode>;

/**
 * Queues a placement's push again with a fresh retry budget: after it FAILED, or while it
 * waits with an error (PENDING). The error is cleared until the next attempt says otherwise.
 */
export async function repushProduct(ctx: RequestContext, warehouseProductId: string): Promise<RepushResult> {
  const merchantId = merchantIdOf(ctx);
  const field = ['warehouseProductId'];
  const command = productPushCommand({ id: warehouseProductId, merchantId });
  return ctx.db.prisma.$transaction(async (tx): Promise<RepushResult> => {
    // The command row first, as the worker settling it does, so the two never deadlock.
    await tx.$queryRaw`SELECT id FROM "OutboxCommand" WHERE "dedupeKey" = ${command.dedupeKey} FOR UPDATE`;
    const placement = await tx.warehouseProduct.findFirst({
      where: { id: warehouseProductId, merchantId },
      include: { warehouse: { select: { kind: true, integration: { select: { status: true } } } } },
    });
    if (!placement) return fail({ field, message: 'No such warehouse product', code: 'NOT_FOUND' });
    if (placement.warehouse.kind === 'OWN') {
      return fail({ field, message: 'Products in your own warehouses are not pushed anywhere', code: 'NOT_REPUSHABLE' });
    }
    const integrationStatus = placement.warehouse.integration?.status;
    if (!integrationStatus || integrationStatus === 'UNBOUND') {
      return fail({ field, message: "The warehouse's integration is unbound: bind the warehouse account again first", code: 'INTEGRATION_UNBOUND' });
    }
    const repushable = placement.pushStatus === 'FAILED' || (placement.pushStatus === 'PENDING' && placement.lastPushError !== null);
    if (!repushable) {
      const why = placement.pushStatus === 'PENDING' ? 'is already queued' : `is ${placement.pushStatus}`;
      return fail({ field, message: `The push ${why}: only a failed or erroring push can be repushed`, code: 'NOT_REPUSHABLE' });
    }
    await requeueCommands(tx, [command]);
    const { count } = await tx.warehouseProduct.updateMany({
      where: { id: placement.id, pushStatus: placement.pushStatus },
      data: { pushStatus: 'PENDING', lastPushError: null },
    });
    if (count === 1) await recordPushStatus(tx, placement, placement.pushStatus, 'PENDING', 'USER');
    return succeed(await tx.warehouseProduct.findUniqueOrThrow({ where: { id: placement.id } }));
  });
}

/**
 * After the merchant changed a Master SKU (say, added the weight ECCANG asked for), its failed
 * placements in 3PL warehouses are queued again. Runs in the caller's transaction, after the
 * Master SKU row is written (and so locked); a handful of statements whatever the count.
 */
export async function requeueFailedPushes(tx: Tx, merchantId: string, masterSkuId: string): Promise<number> {
  const failed = await tx.warehouseProduct.findMany({
    where: {
      merchantId,
      masterSkuId,
      pushStatus: 'FAILED',
      warehouse: { kind: 'THIRD_PARTY', integration: { status: { not: 'UNBOUND' } } },
    },
    select: { id: true, merchantId: true },
    orderBy: { id: 'asc' },
  });
  if (failed.length === 0) return 0;
  await requeueCommands(tx, failed.map(productPushCommand));
  const requeued = await tx.warehouseProduct.updateManyAndReturn({
    where: { id: { in: failed.map((placement) => placement.id) }, pushStatus: 'FAILED' },
    data: { pushStatus: 'PENDING', lastPushError: null },
    select: { id: true },
  });
  await tx.statusChange.createMany({
    data: requeued.map((placement) => ({
      merchantId,
      subjectType: 'WAREHOUSE_PRODUCT' as const,
      subjectId: placement.id,
      fromStatus: 'FAILED',
      toStatus: 'PENDING',
      source: 'USER' as const,
      detail: { reason: 'Master SKU updated' },
    })),
  });
  return requeued.length;
}
