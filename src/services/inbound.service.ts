// Inbound lists (stock entry into a 3PL warehouse). Stock rises only when the provider
// reports them received; creating one only records the intent and queues the push.
import { newListCode } from '../domain/list-code.ts';
import type { InboundList, Prisma } from '../generated/prisma/client.ts';
import type { InboundSource, InboundStatus, PushStatus } from '../generated/prisma/enums.ts';
import { merchantIdOf, type RequestContext } from '../context.ts';

export interface NewInboundList {
  merchantId: string;
  warehouseId: string;
  source: InboundSource;
  lines: { masterSkuId: string; quantity: number }[];
}

/** Creates the list with its lines inside the caller's transaction. */
export async function createInboundListInTransaction(tx: Prisma.TransactionClient, list: NewInboundList): Promise<InboundList> {
  return tx.inboundList.create({
    data: {
      merchantId: list.merchantId,
      warehouseId: list.warehouseId,
      code: newListCode('IN'),
      source: list.source,
      lines: { create: list.lines },
    },
  });
}

export interface InboundListFilter {
  warehouseId?: string | null;
  status?: InboundStatus | null;
  pushStatus?: PushStatus | null;
  source?: InboundSource | null;
}

export function inboundListWhere(ctx: RequestContext, filter: InboundListFilter | null | undefined): Prisma.InboundListWhereInput {
  return {
    merchantId: merchantIdOf(ctx),
    ...(filter?.warehouseId ? { warehouseId: filter.warehouseId } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.pushStatus ? { pushStatus: filter.pushStatus } : {}),
    ...(filter?.source ? { source: filter.source } : {}),
  };
}
