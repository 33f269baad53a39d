// The caller (viewer), their merchant, and SUPPORT's list of merchants to choose from.
import { merchantIdOf } from '../context.ts';
import type { Role as RoleValue } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { Role } from './enums.ts';


export const Merchant = builder.prismaNode('Merchant', {
  id: { field: 'id' },
  authScopes: { merchantRead: true, support: true },
  // A merchant sees only itself; SUPPORT sees the one it chose (and lists all via `merchants`).
  findUnique: (id, ctx) => (ctx.viewer?.role === 'SUPPORT' ? { id } : { id, AND: [{ id: merchantIdOf(ctx) }] }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    timezone: t.exposeString('timezone', { description: 'IANA time zone; daily jobs run on its clock.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const Viewer = builder.objectRef<{ role: RoleValue; merchantId: string | null }>('Viewer').implement({
  description: 'Who is calling, and on which merchant the request acts.',
  fields: (t) => ({
    role: t.field({ type: Role, resolve: (viewer) => viewer.role }),
    merchant: t.prismaField({
      type: 'Merchant',
      nullable: true,
      resolve: (query, viewer, _args, ctx) =>
        viewer.merchantId ? ctx.db.prisma.merchant.findUnique({ ...query, where: { id: viewer.merchantId } }) : null,
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ({ role: ctx.viewer!.role, merchantId: ctx.viewer!.merchantId }),
  }),
  merchants: t.prismaConnection({
    type: 'Merchant',
    cursor: 'id',
    description: 'All merchants, for SUPPORT to choose one (send its id as X-Merchant-Id).',
    authScopes: { support: true },
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.merchant.findMany({ ...query, orderBy: { id: 'asc' } }),
    totalCount: (_root, _args, ctx) => ctx.db.prisma.merchant.count(),
  }),
}));
