// The Pothos schema builder: plugins and shared type parameters only; types live in domain files.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import { MerchantRequiredError, type RequestContext } from '../context.ts';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';

export interface SchemaTypes {
  Context: RequestContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** Any valid token. */
    authenticated: boolean;
    /** Reads a merchant's data: its OWNER/STAFF, or SUPPORT with a merchant chosen. */
    merchantRead: boolean;
    /** Changes a merchant's data: OWNER or STAFF. */
    merchantWrite: boolean;
    /** The order service. */
    service: boolean;
    /** Support staff, with or without a merchant chosen. */
    support: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string | number | bigint };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

export const builder = new SchemaBuilder<SchemaTypes>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: async (ctx) => {
      const role = ctx.viewer?.role;
      const hasMerchant = Boolean(ctx.viewer?.merchantId);
      return {
        authenticated: Boolean(ctx.viewer),
        merchantRead: hasMerchant && (role === 'OWNER' || role === 'STAFF' || role === 'SUPPORT'),
        merchantWrite: hasMerchant && (role === 'OWNER' || role === 'STAFF'),
        service: hasMerchant && role === 'SERVICE',
        support: role === 'SUPPORT',
      };
    },
    unauthorizedError: (_parent, ctx) => {
      if (!ctx.viewer) {
        return new GraphQLError('Authentication required: send "Authorization: Bearer <token>"', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      if (ctx.viewer.role === 'SUPPORT' && !ctx.viewer.merchantId) return new MerchantRequiredError();
      return new GraphQLError(`A ${ctx.viewer.role} token may not do this`, {
        extensions: { code: 'FORBIDDEN' },
      });
    },
  },
  errors: { defaultTypes: [] },
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    exposeDescriptions: false,
    maxConnectionSize: 100,
    defaultConnectionSize: 20,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  validation: {
    validationError: (result) =>
      new GraphQLError(
        result.issues.map((issue) => `${(issue.path ?? []).map(pathKey).join('.')}: ${issue.message}`).join('; '),
        { extensions: { code: 'BAD_USER_INPUT' } },
      ),
  },
});

function pathKey(segment: PropertyKey | { key: PropertyKey }): string {
  return String(typeof segment === 'object' ? segment.key : segment);
}

builder.queryType({});
builder.mutationType({});
