// Where the providers are: the configured endpoints (live), or ECCANG and JD simulators started
// in this process (simulator mode), so a new user can bind and watch flows without any account.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';
import { type RunningEccangSimulator, seedDemo, startEccangSimulator } from './providers/eccang/simulator.ts';
import { JD_DEMO_WAREHOUSES, seedJdDemo, startJdSimulator } from './providers/jd/simulator.ts';
import type { JdApp, ProviderEndpoints } from './providers/registry.ts';
import type { ProviderAccess } from './services/provider-access.ts';

/** Simulator-only accounts; printed at start-up and in the README. Not secrets. */
export const SIMULATOR_ACCOUNTS = {
  /** Bound to the demo merchant on first start. */
  eccangDemo: { appToken: 'demo-eccang-token', appKey: 'demo-eccang-key-0001' },
  /** Left free, to try bindEccang by hand. */
  eccangSandbox: { appToken: 'sandbox-eccang-token', appKey: 'sandbox-eccang-key-0001' },
  jdPlatformApp: { appKey: 'demo-platform-app', appSecret: 'demo-platform-secret' } satisfies JdApp,
  jdDeptNo: 'EBU0000000001',
  jdWarehouseNos: JD_DEMO_WAREHOUSES.map((warehouse) => warehouse.warehouseNo),
} as const;

/** How often the ECCANG simulator moves orders and ASNs one step on (C → W → D, 1 → 7 → 8 → 10). */
const ECCANG_PROGRESS_MS = 20_000;

export interface ProviderRuntime {
  endpoints: ProviderEndpoints;
  /** Simulator mode: the simulators' URLs, for the start-up banner. */
  simulators: { eccangUrl: string; jdUrl: string } | null;
  /**
   * Simulator mode: simulators start empty, so the accounts the gateway has bound are seeded
   * into them again (each restart would otherwise break every demo binding).
   */
  restoreBoundAccounts(db: Database, providers: ProviderAccess, log: Logger): Promise<void>;
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

export async function startProviderRuntime(config: Config, demoSkus: readonly string[]): Promise<ProviderRuntime> {
  const live = liveEndpoints(config);
  if (config.PROVIDER_MODE === 'live') {
    return { endpoints: live, simulators: null, restoreBoundAccounts: async () => {}, close: async () => {} };
  }
  const eccang = await startEccangSimulator({ port: config.SIMULATOR_PORT, autoProgressMs: ECCANG_PROGRESS_MS });
  const jd = await startJdSimulator({ port: config.SIMULATOR_PORT === 0 ? 0 : config.SIMULATOR_PORT + 1 }).catch(async (error: unknown) => {
    await eccang.close();
    throw error;
  });
  for (const account of [SIMULATOR_ACCOUNTS.eccangDemo, SIMULATOR_ACCOUNTS.eccangSandbox]) seedDemo(eccang.simulator, { ...account, skus: demoSkus });
  seedJdDemo(jd, { ...SIMULATOR_ACCOUNTS.jdPlatformApp, deptNo: SIMULATOR_ACCOUNTS.jdDeptNo, skus: demoSkus });
  return {
    endpoints: {
      ...live,
      jd: { routerUrl: jd.routerUrl, oauthUrl: jd.url, platformApp: live.jd.platformApp ?? SIMULATOR_ACCOUNTS.jdPlatformApp, pushRegistrationUrl: jd.pushRegistrationUrl },
    },
    simulators: { eccangUrl: eccang.url, jdUrl: jd.url },
    restoreBoundAccounts: (db, providers, log) => restoreAccounts(db, providers, log, eccang, jd, demoSkus),
    close: async () => {
      await Promise.all([eccang.close(), jd.close()]);
    },
  };
}

async function restoreAccounts(
  db: Database,
  providers: ProviderAccess,
  log: Logger,
  eccang: RunningEccangSimulator,
  jd: Awaited<ReturnType<typeof startJdSimulator>>,
  demoSkus: readonly string[],
): Promise<void> {
  const bound = await db.prisma.integration.findMany({ where: { status: { notIn: ['UNBOUND', 'PENDING_AUTHORIZATION'] } } });
  let restored = 0;
  for (const integration of bound) {
    const credentials = providers.credentialsOf(integration);
    if (credentials.provider === 'ECCANG' && integration.baseUrl === eccang.url) {
      seedDemo(eccang.simulator, { appToken: credentials.appToken, appKey: credentials.appKey, skus: demoSkus });
      if (integration.statusDelivery === 'PUSH') {
        const provider = await providers.forIntegration(integration);
        await provider.registerPush(providers.eccangWebhookUrl(integration.webhookToken)).catch((error: unknown) => log.warn({ err: error }, 'push not restored'));
      }
      restored++;
    } else if (credentials.provider === 'JD' && credentials.accessToken) {
      const app = credentials.ownApp ?? providers.endpoints.jd.platformApp;
      if (!app) continue;
      jd.addApp(app.appKey, app.appSecret);
      jd.issueToken(app.appKey, credentials.accessToken);
      if (integration.customerCode && integration.customerCode !== SIMULATOR_ACCOUNTS.jdDeptNo) jd.addDept(integration.customerCode, [...JD_DEMO_WAREHOUSES]);
      if (integration.statusDelivery === 'PUSH') jd.registerPush(app.appKey, integration.customerCode ?? '', providers.jdWebhookUrl());
      restored++;
    }
  }
  if (restored > 0) log.info({ restored }, 'simulator accounts restored for existing bindings');
}
