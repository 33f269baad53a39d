// Where the providers are: the configured endpoints (live), or simulators started in this
// process (simulator mode) so a new user can bind and watch flows without any account.
import type { Config } from './config.ts';
import type { ProviderEndpoints } from './providers/registry.ts';

export interface ProviderRuntime {
  endpoints: ProviderEndpoints;
  close(): Promise<void>;
}

export function liveEndpoints(config: Config): ProviderEndpoints {
  return {
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    eccang: {
      production: config.isProduction,
      allowedHosts: (config.ECCANG_ALLOWED_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean),
    },
    jd: {
      routerUrl: config.JD_API_URL,
      oauthUrl: config.JD_OAUTH_URL,
      platformApp: config.JD_APP_KEY && config.JD_APP_SECRET ? { appKey: config.JD_APP_KEY, appSecret: config.JD_APP_SECRET } : null,
      pushRegistrationUrl: null,
    },
  };
}

export async function startProviderRuntime(config: Config): Promise<ProviderRuntime> {
  return { endpoints: liveEndpoints(config), close: async () => {} };
}
