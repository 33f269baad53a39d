// Provider wiring for tests: a fresh encryption key, and endpoints that point nowhere unless a
// test passes the simulators' URLs.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { Logger } from '../../src/logger.ts';
import type { ProviderEndpoints } from '../../src/providers/registry.ts';
import { SecretBox } from '../../src/secrets.ts';
import { ProviderAccess } from '../../src/services/provider-access.ts';

/** Port 9 (discard) on loopback: a call that was not meant to happen fails fast as UNAVAILABLE. */
const NOWHERE = 'http://127.0.0.1:9';

export function testEndpoints(overrides: { eccang?: Partial<ProviderEndpoints['eccang']>; jd?: Partial<ProviderEndpoints['jd']>; timeoutMs?: number } = {}): ProviderEndpoints {
  return {
    timeoutMs: overrides.timeoutMs ?? 5_000,
    eccang: { production: false, allowedHosts: [], ...overrides.eccang },
    jd: { routerUrl: `${NOWHERE}/routerjson`, oauthUrl: NOWHERE, platformApp: null, pushRegistrationUrl: null, ...overrides.jd },
  };
}

export function testProviderAccess(db: Database, log: Logger, options: { endpoints?: ProviderEndpoints; publicUrl?: () => string } = {}): ProviderAccess {
  return new ProviderAccess({
    db,
    log,
    secrets: new SecretBox(randomBytes(32)),
    endpoints: options.endpoints ?? testEndpoints(),
    publicUrl: options.publicUrl ?? (() => 'http://gateway.test'),
  });
}
