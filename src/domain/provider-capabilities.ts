// What each 3PL provider can fulfil, as data the push-eligibility rules read.
import type { CountryCode, Provider } from '../generated/prisma/enums.ts';

export interface ProviderCapabilities {
  /** Destination countries the provider ships orders to. */
  countries: readonly CountryCode[] | 'ANY';
}

export const PROVIDER_CAPABILITIES: Readonly<Record<Provider, ProviderCapabilities>> = {
  // The ECCANG help page: "supports orders from Thailand, Indonesia and the Philippines only".
  ECCANG: { countries: ['TH', 'ID', 'PH'] },
  // The JD help page names no country restriction; JD's warehouses decide what they accept.
  JD: { countries: 'ANY' },
};

export function shipsTo(capabilities: ProviderCapabilities, country: CountryCode): boolean {
  return capabilities.countries === 'ANY' || capabilities.countries.includes(country);
}
