// The options every merchant-owned Relay node shares: readable with merchantRead, and loaded by
// global id only within the caller's merchant (another merchant's id finds nothing).
import { merchantIdOf, type RequestContext } from '../context.ts';

export const tenantNode = {
  id: { field: 'id' },
  authScopes: { merchantRead: true },
  findUnique: (id: string, ctx: RequestContext) => ({ id, merchantId: merchantIdOf(ctx) }),
  nullable: true,
} as const;
