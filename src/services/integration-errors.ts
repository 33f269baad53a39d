// What can go wrong with a binding, as user errors: the codes, and provider failures translated.
import type { Provider } from '../generated/prisma/enums.ts';
import { ProviderConfigurationError } from '../providers/registry.ts';
import { ProviderError } from '../providers/types.ts';
import type { UserError } from './user-errors.ts';

export const INTEGRATION_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  /** The credential set (ECCANG token+key, JD PIN) is bound to another merchant. */
  'TAKEN',
  'BASE_URL_NOT_ALLOWED',
  'INVALID_CREDENTIALS',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_ERROR',
  'WAREHOUSE_NAME_TAKEN',
  'WAREHOUSE_NOT_FOUND',
  'NOT_CONFIGURED',
  'STATE_INVALID',
  'STATE_EXPIRED',
  'STATE_USED',
  'AUTHORIZATION_REFUSED',
  'WRONG_STATUS',
] as const;
export type IntegrationErrorCode = (typeof INTEGRATION_ERROR_CODES)[number];

/** A provider failure the merchant can act on; anything else is a bug and is rethrown. */
export function providerFailure(error: unknown, provider: Provider, credentialField: string[] | null): UserError<IntegrationErrorCode> {
  if (error instanceof ProviderConfigurationError) return { field: null, message: error.message, code: 'NOT_CONFIGURED' };
  if (!(error instanceof ProviderError)) throw error;
  switch (error.code) {
    case 'AUTH':
      return { field: credentialField, message: `${provider} refused the credentials (${error.message})`, code: 'INVALID_CREDENTIALS' };
    case 'TIMEOUT':
    case 'UNAVAILABLE':
      return { field: null, message: `${provider} did not answer (${error.message}); nothing was saved, try again`, code: 'PROVIDER_UNAVAILABLE' };
    default:
      return { field: null, message: `${provider} answered with an error: ${error.message}`, code: 'PROVIDER_ERROR' };
  }
}
