// What every request carries: the database, who is asking, and a logger with the request id.
import { GraphQLError } from 'graphql';
import type { Database } from './db/database.ts';
import type { Role } from './generated/prisma/enums.ts';
import type { Logger } from './logger.ts';
import type { ProviderAccess } from './services/provider-access.ts';

export interface Viewer {
  tokenId: string;
  role: Role;
  /** The merchant the request acts on: the token's own, or the one SUPPORT selected. */
  merchantId: string | null;
}

export interface RequestContext {
  db: Database;
  viewer: Viewer | null;
  requestId: string;
  log: Logger;
  providers: ProviderAccess;
}

export class MerchantRequiredError extends GraphQLError {
  constructor() {
    super('Choose a merchant: SUPPORT tokens send the X-Merchant-Id header', {
      extensions: { code: 'MERCHANT_REQUIRED' },
    });
  }
}

/** The merchant every query of this request is scoped to; never undefined, so never "no filter". */
export function merchantIdOf(ctx: RequestContext): string {
  const merchantId = ctx.viewer?.merchantId;
  if (!merchantId) throw new MerchantRequiredError();
  return merchantId;
}
