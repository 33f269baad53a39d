// The outbox: provider work persisted as commands, claimed by any instance, retried with backoff.
//
// A command is written in the transaction that makes it necessary (a placement, a list), so
// no work is lost between "decided" and "sent". Workers claim due commands with
// FOR UPDATE SKIP LOCKED and hold them under a lease (lockedUntil); a worker that dies leaves
// its commands RUNNING until the lease passes, then another claims them. The lease value is
// the claim's token: settling checks it, so a worker that lost its lease changes nothing.
// Handlers, registered by kind, do the work and record its outcome on their subject in the
// transaction that settles the command.
import type { Database } from '../db/database.ts';
import { uuidv7 } from '../db/uuidv7.ts';
import { DEFAULT_RETRY_POLICY, retryBudgetSpent, retryDelayMs, type RetryPolicy } from '../domain/outbox-retry.ts';
import { Prisma, type OutboxCommand } from '../generated/prisma/client.ts';
import type { OutboxStatus, StatusSubject } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { ProviderError } from '../providers/types.ts';
import type { ProviderAccess } from './provider-access.ts';

type Tx = Prisma.TransactionClient;

export interface OutboxDeps {
  db: Database;
  providers: ProviderAccess;
  log: Logger;
}

export interface NewCommand {
  merchantId: string;
  kind: string;
  subjectType: StatusSubject;
  subjectId: string;
  /** At most one live command per purpose, e.g. "push:WAREHOUSE_PRODUCT:<id>". */
  dedupeKey: string;
  payload?: Prisma.InputJsonValue;
}

/** What a handler's run came to. Thrown errors are classified the same way (see outcomeOfError). */
export type CommandOutcome<Result = unknown> =
  | { type: 'SUCCEEDED'; result: Result }
  /** Worth another try later (timeout, outage); counts against the retry budget. */
  | { type: 'RETRY'; error: string; cause?: unknown }
  /** Trying again cannot help (the provider refused the request). */
  | { type: 'FAILED'; error: string; cause?: unknown }
  /** Not now, and not the command's fault (e.g. its integration is disabled): attempts are not counted. */
  | { type: 'WAIT'; reason: string; delayMs?: number; cause?: unknown };

/** The command's new state, handed to the handler to record on its subject in the same transaction. */
export interface Settlement<Result = unknown> {
  status: Extract<OutboxStatus, 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'DEAD'>;
  outcome: CommandOutcome<Result>;
  attempts: number;
  nextAttemptAt: Date;
  now: Date;
}

export interface OutboxHandler<Result = unknown> {
  /** Does the work, outside any transaction (provider calls take seconds). */
  run(command: OutboxCommand, context: OutboxDeps & { now: Date }): Promise<CommandOutcome<Result>>;
  /** Records the settlement on the command's subject; runs in the transaction that settles the command. */
  settle(tx: Tx, command: OutboxCommand, settlement: Settlement<Result>, context: OutboxDeps): Promise<void>;
}

/** Handlers by command kind. Commands of kinds without a handler are left for an instance that has one. */
export type OutboxHandlers = Readonly<Record<string, OutboxHandler>>;

/** How long a worker may hold a claimed command before another may take it over. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** How long a command waits (e.g. for its integration to be enabled) before it looks again. */
export const DEFAULT_WAIT_MS = 10 * 60_000;

export interface OutboxRunOptions {
  handlers: OutboxHandlers;
  /** Commands claimed at once. */
  batchSize?: number;
  /** Commands of a batch run side by side. */
  concurrency?: number;
  leaseMs?: number;
  policy?: RetryPolicy;
  now?: () => Date;
  random?: () => number;
}

/** Adds commands in the caller's transaction, in one statement; a live command with the same dedupeKey wins. */
export async function enqueueCommands(tx: Tx, commands: NewCommand[], now = new Date()): Promise<number> {
  if (commands.length === 0) return 0;
  const { count } = await tx.outboxCommand.createMany({
    data: commands.map((command) => ({ ...command, nextAttemptAt: now })),
    skipDuplicates: true,
  });
  return count;
}

/**
 * Queues commands afresh (a repush): existing ones are reset to PENDING with a new retry
 * budget; missing ones are created. A command some worker is running right now is left to it.
 * One statement, whatever the number.
 */
export async function requeueCommands(tx: Tx, commands: NewCommand[], now = new Date()): Promise<void> {
  if (commands.length === 0) return;
  const rows = JSON.stringify(commands.map((command) => ({ ...command, id: uuidv7(), payload: command.payload ?? null })));
  await tx.$executeRaw`
    INSERT INTO "OutboxCommand" (id, "merchantId", kind, "subjectType", "subjectId", payload, "dedupeKey", status, attempts, "nextAttemptAt", "createdAt", "updatedAt")
    SELECT row.id, row."merchantId", row.kind, row."subjectType"::"StatusSubject", row."subjectId", row.payload, row."dedupeKey",
      'PENDING'::"OutboxStatus", 0, ${now}::timestamp(3), ${now}::timestamp(3), ${now}::timestamp(3)
    FROM jsonb_to_recordset(${rows}::jsonb)
      AS row(id text, "merchantId" text, kind text, "subjectType" text, "subjectId" text, payload jsonb, "dedupeKey" text)
    ORDER BY row."dedupeKey"
    ON CONFLICT ("dedupeKey") DO UPDATE SET
      status = 'PENDING', attempts = 0, "nextAttemptAt" = EXCLUDED."nextAttemptAt", "lockedUntil" = NULL,
      "lastError" = NULL, payload = EXCLUDED.payload, "updatedAt" = EXCLUDED."updatedAt"
    WHERE NOT ("OutboxCommand".status = 'RUNNING' AND "OutboxCommand"."lockedUntil" > ${now}::timestamp(3))`;
}

/**
 * Brings forward the waiting commands whose subjects are served by this integration (it just
 * became ACTIVE again), so work resumes now rather than at the next look. Commands a worker
 * holds are skipped: they are being settled.
 */
export async function wakeCommandsOfIntegration(tx: Tx, integrationId: string, now = new Date()): Promise<number> {
  // Subjects reach their integration through their warehouse; list kinds add their tables here.
  return tx.$executeRaw`
    UPDATE "OutboxCommand" SET "nextAttemptAt" = ${now}::timestamp(3), "updatedAt" = ${now}::timestamp(3)
    WHERE id IN (
      SELECT command.id FROM "OutboxCommand" AS command
      JOIN "WarehouseProduct" AS product ON command."subjectType" = 'WAREHOUSE_PRODUCT' AND product.id = command."subjectId"
      JOIN "Warehouse" AS warehouse ON warehouse.id = product."warehouseId"
      WHERE warehouse."integrationId" = ${integrationId}
        AND command.status = 'PENDING' AND command."nextAttemptAt" > ${now}::timestamp(3)
      ORDER BY command.id
      FOR UPDATE OF command SKIP LOCKED)`;
}

export interface ClaimedCommand {
  command: OutboxCommand;
  /** The lease this claim holds: the token settling checks. */
  lease: Date;
}

/**
 * Claims up to `limit` due commands of these kinds: PENDING ones whose time has come, and
 * RUNNING ones whose worker's lease has passed (it crashed or hung). Rows another instance
 * is claiming at the same moment are skipped, so no command is claimed twice.
 */
export async function claimDueCommands(
  db: Database,
  options: { kinds: string[]; limit: number; leaseMs: number; now: Date },
): Promise<ClaimedCommand[]> {
  if (options.kinds.length === 0 || options.limit <= 0) return [];
  const { now } = options;
  const lease = new Date(now.getTime() + options.leaseMs);
  const claimed = await db.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxCommand" SET status = 'RUNNING', "lockedUntil" = ${lease}::timestamp(3), "updatedAt" = ${now}::timestamp(3)
    WHERE id IN (
      SELECT id FROM "OutboxCommand"
      WHERE kind IN (${Prisma.join(options.kinds)})
        AND ((status = 'PENDING' AND "nextAttemptAt" <= ${now}::timestamp(3))
          OR (status = 'RUNNING' AND "lockedUntil" < ${now}::timestamp(3)))
      ORDER BY "nextAttemptAt", id
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (claimed.length === 0) return [];
  const commands = await db.prisma.outboxCommand.findMany({
    where: { id: { in: claimed.map((row) => row.id) }, status: 'RUNNING', lockedUntil: lease },
    orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
  });
  return commands.map((command) => ({ command, lease }));
}

/** Thrown inside the settling transaction when the claim was lost: nothing it wrote stays. */
class LeaseLostError extends Error {
  constructor(commandId: string) {
    super(`outbox command ${commandId} was claimed by another worker meanwhile`);
    this.name = 'LeaseLostError';
  }
}

/** A thrown error as an outcome: provider errors by their retryable flag; anything else (an outage, a bug) is retried. */
export function outcomeOfError(error: unknown): CommandOutcome<never> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ProviderError && !error.retryable) return { type: 'FAILED', error: message, cause: error };
  return { type: 'RETRY', error: message, cause: error };
}

/** The command's next state for an outcome, by the retry policy. */
export function settlementOf<Result>(
  command: Pick<OutboxCommand, 'attempts'>,
  outcome: CommandOutcome<Result>,
  options: { now: Date; policy: RetryPolicy; random: () => number },
): Settlement<Result> {
  const { now, policy } = options;
  const later = (delayMs: number) => new Date(now.getTime() + delayMs);
  switch (outcome.type) {
    case 'SUCCEEDED':
      return { status: 'SUCCEEDED', outcome, attempts: command.attempts + 1, nextAttemptAt: now, now };
    case 'FAILED':
      return { status: 'FAILED', outcome, attempts: command.attempts + 1, nextAttemptAt: now, now };
    case 'WAIT':
      return { status: 'PENDING', outcome, attempts: command.attempts, nextAttemptAt: later(outcome.delayMs ?? DEFAULT_WAIT_MS), now };
    case 'RETRY': {
      const attempts = command.attempts + 1;
      if (retryBudgetSpent(attempts, policy)) return { status: 'DEAD', outcome, attempts, nextAttemptAt: now, now };
      return { status: 'PENDING', outcome, attempts, nextAttemptAt: later(retryDelayMs(attempts, options.random, policy)), now };
    }
  }
}

const errorOf = (outcome: CommandOutcome): string | null =>
  outcome.type === 'SUCCEEDED' ? null : outcome.type === 'WAIT' ? outcome.reason : outcome.error;

/** Runs one claimed command and settles it (command and subject in one transaction). */
export async function runClaimedCommand(
  deps: OutboxDeps,
  claimed: ClaimedCommand,
  options: Required<Pick<OutboxRunOptions, 'handlers' | 'policy' | 'now' | 'random'>>,
): Promise<Settlement | null> {
  const { command, lease } = claimed;
  const handler = options.handlers[command.kind];
  let outcome: CommandOutcome;
  if (!handler) {
    outcome = { type: 'FAILED', error: `no handler for outbox command kind ${command.kind}` };
  } else {
    try {
      outcome = await handler.run(command, { ...deps, now: options.now() });
    } catch (error) {
      outcome = outcomeOfError(error);
    }
  }
  const settlement = settlementOf(command, outcome, { now: options.now(), policy: options.policy, random: options.random });
  try {
    await deps.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.outboxCommand.updateMany({
        where: { id: command.id, status: 'RUNNING', lockedUntil: lease },
        data: {
          status: settlement.status,
          attempts: settlement.attempts,
          nextAttemptAt: settlement.nextAttemptAt,
          lockedUntil: null,
          lastError: errorOf(outcome),
        },
      });
      if (count === 0) throw new LeaseLostError(command.id);
      await handler?.settle(tx, command, settlement, deps);
    });
  } catch (error) {
    const level = error instanceof LeaseLostError ? 'warn' : 'error';
    deps.log[level]({ err: error, commandId: command.id, kind: command.kind }, 'outbox command not settled');
    return null;
  }
  const log = { commandId: command.id, kind: command.kind, status: settlement.status, attempts: settlement.attempts };
  if (settlement.status === 'SUCCEEDED') deps.log.debug(log, 'outbox command done');
  else deps.log.info({ ...log, error: errorOf(outcome), nextAttemptAt: settlement.nextAttemptAt }, 'outbox command not done');
  return settlement;
}

/** Claims one batch of due commands and runs them; returns how many were claimed. */
export async function runDueCommands(deps: OutboxDeps, options: OutboxRunOptions): Promise<number> {
  const now = options.now ?? (() => new Date());
  const claimed = await claimDueCommands(deps.db, {
    kinds: Object.keys(options.handlers),
    limit: options.batchSize ?? 10,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    now: now(),
  });
  const run = { handlers: options.handlers, policy: options.policy ?? DEFAULT_RETRY_POLICY, now, random: options.random ?? Math.random };
  const queue = [...claimed];
  const lanes = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runClaimedCommand(deps, next, run);
  });
  await Promise.all(lanes);
  return claimed.length;
}
