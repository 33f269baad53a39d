// Provider push messages: stored first (deduplicated by message id), answered fast, then
// processed — the object is pulled from the provider and its status applied. A push is only a
// hint: what counts is what the provider answers when asked.
import type { Database } from '../db/database.ts';
import { isLive } from '../domain/integration.ts';
import type { Integration, WebhookEvent } from '../generated/prisma/client.ts';
import type { Provider } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { parseEccangPush } from '../providers/eccang/push.ts';
import { parseJdPush } from '../providers/jd/push.ts';
import { ProviderError, type PushMessage } from '../providers/types.ts';
import { markAuthFailed } from './integration-status.ts';
import { applyInboundState, applyOutboundState } from './list-status.service.ts';
import type { ProviderAccess } from './provider-access.ts';
import { isUniqueViolation } from './user-errors.ts';

/** Processing attempts before a message is given up (the reconciliation poll still catches up). */
export const MAX_INBOX_ATTEMPTS = 5;

export interface InboxDeps {
  db: Database;
  providers: ProviderAccess;
  log: Logger;
}

export interface IncomingPush {
  provider: Provider;
  integrationId: string;
  /** Scoped by the caller so two providers' or hosts' ids never collide. */
  messageId: string;
  topic: string;
  payload: object;
}

export type ProcessOutcome = 'PROCESSED' | 'WAITING' | 'RETRY' | 'FAILED' | 'SKIPPED';

export class WebhookInbox {
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: InboxDeps) {}

  /** Stores the message once; a duplicate is acknowledged and not processed again. Processing starts in the background. */
  async receive(push: IncomingPush): Promise<{ duplicate: boolean }> {
    let event: WebhookEvent;
    try {
      event = await this.deps.db.prisma.webhookEvent.create({ data: push });
    } catch (error) {
      if (isUniqueViolation(error)) return { duplicate: true };
      throw error;
    }
    this.track(this.process(event.id));
    return { duplicate: false };
  }

  /** Processes stored messages still waiting: after a crash, a provider outage, or an integration re-enabled. */
  async sweep(limit = 100): Promise<number> {
    const waiting = await this.deps.db.prisma.webhookEvent.findMany({
      where: { status: 'RECEIVED', integration: { status: 'ACTIVE' } },
      orderBy: { receivedAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    for (const { id } of waiting) await this.process(id);
    return waiting.length;
  }

  /** Sweeps every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => this.track(this.sweep()), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.drain();
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async process(eventId: string): Promise<ProcessOutcome> {
    const { db, log } = this.deps;
    const event = await db.prisma.webhookEvent.findUnique({ where: { id: eventId }, include: { integration: true } });
    if (!event || event.status !== 'RECEIVED') return 'SKIPPED';
    const integration = event.integration;
    if (!integration || integration.status === 'UNBOUND') return this.finish(event, 'FAILED', 'the integration is unbound');
    if (!isLive(integration.status)) return 'WAITING';
    const parsed = reparse(event);
    if (!parsed.ok) return this.finish(event, 'FAILED', parsed.reason);
    try {
      const note = await this.apply(integration, parsed.message);
      if (note) log.info({ eventId, provider: event.provider, topic: event.topic, note }, 'webhook processed without a change');
      return this.finish(event, 'PROCESSED', note);
    } catch (error) {
      const attempts = event.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof ProviderError)) log.error({ err: error, eventId }, 'webhook processing failed');
      // The message waits (RECEIVED) until the merchant fixes the credentials and enables the binding again.
      if (error instanceof ProviderError && error.code === 'AUTH') await db.prisma.$transaction((tx) => markAuthFailed(tx, { merchantId: integration.merchantId, integrationId: integration.id, reason: message }));
      if (attempts >= MAX_INBOX_ATTEMPTS || (error instanceof ProviderError && !error.retryable && error.code !== 'AUTH')) {
        return this.finish(event, 'FAILED', message, attempts);
      }
      await db.prisma.webhookEvent.update({ where: { id: event.id }, data: { attempts, error: message } });
      return 'RETRY';
    }
  }

  /** Pulls the object the message names and applies its state; returns why nothing was applied, if so. */
  private async apply(integration: Integration, message: PushMessage): Promise<string | null> {
    const { subject } = message;
    if (subject.kind === 'STOCK') return 'stock messages are not acted on yet: the daily and on-demand stock sync reads stock';
    const { db, providers } = this.deps;
    const where = { merchantId: integration.merchantId, providerRef: subject.providerRef, warehouse: { integrationId: integration.id } };
    const select = { warehouseId: true } as const;
    const list = subject.kind === 'OUTBOUND' ? await db.prisma.outboundList.findFirst({ where, select }) : await db.prisma.inboundList.findFirst({ where, select });
    if (!list) return `no ${subject.kind.toLowerCase()} list has the provider reference ${subject.providerRef}`;
    const provider = await providers.forIntegration(integration);
    const target = { merchantId: integration.merchantId, warehouseId: list.warehouseId, source: 'WEBHOOK' as const, actor: `webhook:${integration.provider}` };
    if (subject.kind === 'OUTBOUND') {
      const [state] = await provider.getOutbound([subject.providerRef]);
      if (!state) return `${integration.provider} does not know ${subject.providerRef}`;
      await applyOutboundState(db, { ...target, state });
    } else {
      const [state] = await provider.getInbound([subject.providerRef]);
      if (!state) return `${integration.provider} does not know ${subject.providerRef}`;
      await applyInboundState(db, { ...target, state });
    }
    return null;
  }

  private async finish(event: WebhookEvent, status: 'PROCESSED' | 'FAILED', error: string | null, attempts = event.attempts + 1): Promise<ProcessOutcome> {
    await this.deps.db.prisma.webhookEvent.update({ where: { id: event.id }, data: { status, error, attempts, processedAt: new Date() } });
    return status;
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'webhook inbox work failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

function reparse(event: WebhookEvent): { ok: true; message: PushMessage } | { ok: false; reason: string } {
  return event.provider === 'ECCANG' ? parseEccangPush(event.payload) : parseJdPush(JSON.stringify(event.payload));
}
