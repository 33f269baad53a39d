// The gateway's door to providers: opens a binding's sealed credentials, builds its client,
// keeps JD access tokens fresh, and records every call (never a credential) for operators.
import type { Database } from '../db/database.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import {
  createProvider,
  jdApp,
  type ProviderCredentials,
  type ProviderEndpoints,
  refreshJdAccessToken,
} from '../providers/registry.ts';
import type { FulfillmentProvider, ProviderCallRecord, ProviderCallRecorder } from '../providers/types.ts';
import type { SecretBox } from '../secrets.ts';

/** A JD token this close to expiry is refreshed before use. */
const JD_REFRESH_MARGIN_MS = 5 * 60_000;

export interface ProviderAccessOptions {
  db: Database;
  secrets: SecretBox;
  endpoints: ProviderEndpoints;
  /** This gateway's public origin, for webhook callbacks and the OAuth redirect. */
  publicUrl: () => string;
  log: Logger;
}

type IntegrationRow = Pick<Integration, 'id' | 'provider' | 'baseUrl' | 'customerCode' | 'credentialsEncrypted' | 'accessTokenExpiresAt'>;

export class ProviderAccess {
  readonly endpoints: ProviderEndpoints;
  private readonly pendingRecords = new Set<Promise<unknown>>();
  private readonly callCounts = new Map<string, number>();

  constructor(private readonly options: ProviderAccessOptions) {
    this.endpoints = options.endpoints;
  }

  /** Credentials are sealed with their integration id as `context`, so a row's box can't be moved to another. */
  seal(context: string, value: unknown): string {
    return this.options.secrets.seal(value, context);
  }

  unseal<T>(context: string, sealed: string): T {
    return this.options.secrets.open<T>(sealed, context);
  }

  credentialsOf(integration: Pick<Integration, 'id' | 'credentialsEncrypted'>): ProviderCredentials {
    return this.unseal<ProviderCredentials>(integration.id, integration.credentialsEncrypted);
  }

  /** A client for this binding; a JD token about to expire is refreshed (and stored) first. */
  async forIntegration(integration: IntegrationRow): Promise<FulfillmentProvider> {
    let credentials = this.credentialsOf(integration);
    if (credentials.provider === 'JD' && expiresSoon(integration.accessTokenExpiresAt)) {
      credentials = await this.refreshJdToken(integration.id);
    }
    return createProvider(this.endpoints, integration, credentials, this.recorder(integration.id));
  }

  /** A client for credentials not saved yet (binding verifies before it saves). */
  forCredentials(binding: Pick<Integration, 'provider' | 'baseUrl' | 'customerCode'>, credentials: ProviderCredentials, integrationId: string | null): FulfillmentProvider {
    return createProvider(this.endpoints, binding, credentials, this.recorder(integrationId));
  }

  /**
   * Refreshes under a row lock, so two instances don't both spend the single-use refresh token;
   * the second one finds the fresh token and uses it.
   */
  async refreshJdToken(integrationId: string): Promise<ProviderCredentials> {
    return this.options.db.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Integration" WHERE id = ${integrationId} FOR UPDATE`;
        const row = await tx.integration.findUniqueOrThrow({ where: { id: integrationId } });
        const credentials = this.credentialsOf(row);
        if (credentials.provider !== 'JD' || !expiresSoon(row.accessTokenExpiresAt)) return credentials;
        const token = await refreshJdAccessToken(this.endpoints, jdApp(this.endpoints, credentials.ownApp), credentials.refreshToken, this.recorder(integrationId));
        const fresh: ProviderCredentials = { ...credentials, accessToken: token.accessToken, refreshToken: token.refreshToken };
        await tx.integration.update({
          where: { id: integrationId },
          data: { credentialsEncrypted: this.seal(integrationId, fresh), accessTokenExpiresAt: new Date(Date.now() + token.expiresIn * 1000) },
        });
        return fresh;
      },
      { timeout: this.endpoints.timeoutMs * 2 },
    );
  }

  /** Records calls as ProviderCall rows (written in the background) and counts them for /metrics. */
  recorder(integrationId: string | null): ProviderCallRecorder {
    return (call: ProviderCallRecord) => {
      const key = `provider="${call.provider}",method="${call.method}",outcome="${call.outcome}"`;
      this.callCounts.set(key, (this.callCounts.get(key) ?? 0) + 1);
      const write = this.options.db.prisma.providerCall
        .create({
          data: {
            provider: call.provider,
            integrationId,
            method: call.method,
            durationMs: call.durationMs,
            outcome: call.outcome === 'OK' ? 'OK' : 'ERROR',
            errorCode: call.outcome === 'OK' ? null : call.outcome,
          },
        })
        .catch((error: unknown) => this.options.log.warn({ err: error, method: call.method }, 'provider call not recorded'))
        .finally(() => this.pendingRecords.delete(write));
      this.pendingRecords.add(write);
    };
  }

  /** Waits for call records still being written (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pendingRecords.size > 0) await Promise.allSettled([...this.pendingRecords]);
  }

  callCountLines(): string[] {
    return [
      '# HELP provider_calls_total Calls to warehouse providers, by provider, operation and outcome.',
      '# TYPE provider_calls_total counter',
      ...[...this.callCounts].map(([labels, count]) => `provider_calls_total{${labels}} ${count}`),
    ];
  }

  eccangWebhookUrl(webhookToken: string): string {
    return `${this.options.publicUrl()}/webhooks/eccang/${webhookToken}`;
  }

  jdWebhookUrl(): string {
    return `${this.options.publicUrl()}/webhooks/jd`;
  }

  jdRedirectUri(): string {
    return `${this.options.publicUrl()}/oauth/jd/callback`;
  }
}

function expiresSoon(expiresAt: Date | null): boolean {
  return expiresAt !== null && expiresAt.getTime() - Date.now() < JD_REFRESH_MARGIN_MS;
}
