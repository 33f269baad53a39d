// Builds the FulfillmentProvider of a binding: the one module that knows every provider.
import type { Provider } from '../generated/prisma/enums.ts';
import { createEccangProvider } from './eccang/client.ts';
import { createJdProvider } from './jd/client.ts';
import { exchangeJdCode, refreshJdToken, type JdToken } from './jd/oauth.ts';
import type { FulfillmentProvider, ProviderCallRecorder } from './types.ts';

export interface JdApp {
  appKey: string;
  appSecret: string;
}

/** Where the providers are and how the gateway talks to them (from config, or the in-process simulators). */
export interface ProviderEndpoints {
  timeoutMs: number;
  eccang: { production: boolean; allowedHosts: readonly string[] };
  jd: {
    routerUrl: string;
    oauthUrl: string;
    /** The platform's app, used by QUICK bindings; null when not configured. */
    platformApp: JdApp | null;
    /** Only the simulator offers push registration by API (see JdProviderOptions). */
    pushRegistrationUrl: string | null;
  };
}

export interface EccangCredentials {
  provider: 'ECCANG';
  appToken: string;
  appKey: string;
}

export interface JdCredentials {
  provider: 'JD';
  /** BASIC bindings bring their own app; QUICK ones use the platform's (not stored). */
  ownApp: JdApp | null;
  accessToken: string;
  refreshToken: string;
}

export type ProviderCredentials = EccangCredentials | JdCredentials;

/** The non-secret part of a binding the client needs. */
export interface Binding {
  provider: Provider;
  /** ECCANG host. */
  baseUrl: string | null;
  /** JD department number. */
  customerCode: string | null;
}

export class ProviderConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigurationError';
  }
}

export function createProvider(
  endpoints: ProviderEndpoints,
  binding: Binding,
  credentials: ProviderCredentials,
  record?: ProviderCallRecorder,
): FulfillmentProvider {
  if (credentials.provider === 'ECCANG') {
    if (!binding.baseUrl) throw new ProviderConfigurationError('An ECCANG binding needs its base URL');
    return createEccangProvider({
      baseUrl: binding.baseUrl,
      appToken: credentials.appToken,
      appKey: credentials.appKey,
      timeoutMs: endpoints.timeoutMs,
      record,
    });
  }
  if (!binding.customerCode) throw new ProviderConfigurationError('A JD binding needs its department number');
  const app = jdApp(endpoints, credentials.ownApp);
  return createJdProvider({
    routerUrl: endpoints.jd.routerUrl,
    appKey: app.appKey,
    appSecret: app.appSecret,
    accessToken: credentials.accessToken,
    deptNo: binding.customerCode,
    timeoutMs: endpoints.timeoutMs,
    record,
    pushRegistrationUrl: endpoints.jd.pushRegistrationUrl ?? undefined,
  });
}

/** The app a JD binding signs with: its own (BASIC) or the platform's (QUICK). */
export function jdApp(endpoints: ProviderEndpoints, ownApp: JdApp | null): JdApp {
  const app = ownApp ?? endpoints.jd.platformApp;
  if (!app) throw new ProviderConfigurationError('QUICK JD bindings need the platform app: set JD_APP_KEY and JD_APP_SECRET');
  return app;
}

export function exchangeJdAuthorizationCode(endpoints: ProviderEndpoints, app: JdApp, code: string, record?: ProviderCallRecorder): Promise<JdToken> {
  return exchangeJdCode({ baseUrl: endpoints.jd.oauthUrl, ...app, code, timeoutMs: endpoints.timeoutMs, record });
}

export function refreshJdAccessToken(endpoints: ProviderEndpoints, app: JdApp, refreshToken: string, record?: ProviderCallRecorder): Promise<JdToken> {
  return refreshJdToken({ baseUrl: endpoints.jd.oauthUrl, ...app, refreshToken, timeoutMs: endpoints.timeoutMs, record });
}
