// The outbox machinery with scripted handlers: claiming, leases, retries with backoff, waits,
// and the worker loop (wake, stop). Provider pushes over real HTTP are in product-push.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxWorker, startOutboxWorker } from '../../src/jobs/outbox.job.ts';
import type { OutboxCommand } from '../../src/generated/prisma/client.ts';
import { createLogger } from '../../src/logger.ts';
import { ProviderError } from '../../src/providers/types.ts';
import {
  claimDueCommands,
  type CommandOutcome,
  enqueueCommands,
  type OutboxHandler,
  requeueCommands,
  runClaimedCommand,
  type Settlement,
} from '../../src/services/outbox.service.ts';
import { TestApp } from '../helpers/app.ts';

const log = createLogger({ level: 'silent' });
const KIND = 'TEST_KIND';

/** A handler whose outcome the test decides, recording what it ran and how each command settled. */
function scripted(outcomeFor: (command: OutboxCommand) => Promise<CommandOutcome> | CommandOutcome = () => ({ type: 'SUCCEEDED', result: null })) {
  const ran: string[] = [];
  const settled: { subjectId: string; settlement: Settlement }[] = [];
  const handler: OutboxHandler = {
    async run(command) {
      ran.push(command.subjectId);
      return outcomeFor(command);
    },
    async settle(_tx, command, settlement) {
      settled.push({ subjectId: command.subjectId, settlement });
    },
  };
  return { handler, ran, settled };
}

/** Polls until `check` holds, or fails after the deadline. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('outbox', () => {
  let t: TestApp;
  let sequence = 0;
  /** A frozen clock the commands are due by; tests move it. */
  let clock: Date;
  const now = () => clock;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.db.prisma.outboxCommand.deleteMany();
    clock = new Date(Date.now() + 60_000);
  });

  async function enqueue(count = 1, options: { kind?: string; at?: Date } = {}): Promise<string[]> {
    const subjects = Array.from({ length: count }, () => `subject-${++sequence}`);
    await t.db.prisma.$transaction((tx) =>
      enqueueCommands(
        tx,
        subjects.map((subjectId) => ({
          merchantId: t.merchant.id,
          kind: options.kind ?? KIND,
          subjectType: 'WAREHOUSE_PRODUCT',
          subjectId,
          dedupeKey: `test:${subjectId}`,
        })),
        options.at,
      ),
    );
    return subjects;
  }

  const commandOf = (subjectId: string) => t.db.prisma.outboxCommand.findUniqueOrThrow({ where: { dedupeKey: `test:${subjectId}` } });
  const worker = (handler: OutboxHandler, options: { maxAttempts?: number; batchSize?: number } = {}) =>
    createOutboxWorker({
      db: t.db,
      providers: t.providers,
      log,
      now,
      batchSize: options.batchSize,
      handlers: { [KIND]: handler },
      policy: { baseDelayMs: 10_000, maxDelayMs: 3_600_000, jitter: 0.25, maxAttempts: options.maxAttempts ?? 5 },
    });

  it('runs due commands of the kinds it has handlers for, once', async () => {
    // given
    const [due] = await enqueue();
    const [later] = await enqueue(1, { at: new Date(clock.getTime() + 60_000) });
    const [foreign] = await enqueue(1, { kind: 'SOMEONE_ELSES' });
    const { handler, ran } = scripted();

    // when
    const first = await worker(handler).runOnce();
    const second = await worker(handler).runOnce();

    // then
    expect([first, second]).toEqual([1, 0]);
    expect(ran).toEqual([due]);
    expect(await commandOf(due!)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lockedUntil: null, lastError: null });
    expect(await commandOf(later!)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await commandOf(foreign!)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('retries a retryable failure with growing delays, then gives up: DEAD', async () => {
    // given
    const [subject] = await enqueue();
    const { handler, settled } = scripted(() => ({ type: 'RETRY', error: 'provider down' }));
    const outbox = worker(handler, { maxAttempts: 3 });

    // when
    await outbox.runOnce();
    const afterFirst = await commandOf(subject!);
    const notYet = await outbox.runOnce();
    clock = afterFirst.nextAttemptAt;
    await outbox.runOnce();
    const afterSecond = await commandOf(subject!);
    clock = afterSecond.nextAttemptAt;
    await outbox.runOnce();

    // then
    expect(afterFirst).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'provider down', lockedUntil: null });
    expect(notYet).toBe(0);
    expect(afterSecond).toMatchObject({ status: 'PENDING', attempts: 2 });
    expect(await commandOf(subject!)).toMatchObject({ status: 'DEAD', attempts: 3, lastError: 'provider down' });
    expect(settled.map((entry) => [entry.settlement.status, entry.settlement.attempts])).toEqual([
      ['PENDING', 1],
      ['PENDING', 2],
      ['DEAD', 3],
    ]);
    const [first, second] = settled.map((entry) => entry.settlement.nextAttemptAt.getTime() - entry.settlement.now.getTime());
    expect(first).toBeGreaterThanOrEqual(7_500);
    expect(first).toBeLessThanOrEqual(10_000);
    expect(second).toBeGreaterThanOrEqual(15_000);
    expect(second).toBeLessThanOrEqual(20_000);
  });

  it('a refusal fails at once; a thrown provider error counts by its retryable flag, anything else is retried', async () => {
    // given
    const [refused, thrownRefusal, thrownTimeout, thrownBug] = await enqueue(4);
    const { handler } = scripted((command) => {
      if (command.subjectId === refused) return { type: 'FAILED', error: 'no such thing' };
      if (command.subjectId === thrownRefusal) throw new ProviderError('ECCANG', 'REJECTED', 'createProduct: refused');
      if (command.subjectId === thrownTimeout) throw new ProviderError('JD', 'TIMEOUT', 'pushProduct: no answer');
      throw new Error('database went away');
    });

    // when
    await worker(handler).runOnce();

    // then
    expect(await commandOf(refused!)).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'no such thing' });
    expect(await commandOf(thrownRefusal!)).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'createProduct: refused' });
    expect(await commandOf(thrownTimeout!)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'pushProduct: no answer' });
    expect(await commandOf(thrownBug!)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'database went away' });
  });

  it('a wait reschedules without using up attempts', async () => {
    // given
    const [subject] = await enqueue();
    const { handler } = scripted(() => ({ type: 'WAIT', reason: 'integration disabled', delayMs: 600_000 }));
    const outbox = worker(handler, { maxAttempts: 1 });

    // when
    await outbox.runOnce();
    clock = new Date(clock.getTime() + 600_000);
    await outbox.runOnce();

    // then
    const command = await commandOf(subject!);
    expect(command).toMatchObject({ status: 'PENDING', attempts: 0, lastError: 'integration disabled' });
    expect(command.nextAttemptAt.getTime()).toBe(clock.getTime() + 600_000);
  });

  it('takes over a command whose worker died (lease passed), not one whose worker still holds it', async () => {
    // given
    const [crashed, held] = await enqueue(2);
    await t.db.prisma.outboxCommand.update({
      where: { dedupeKey: `test:${crashed}` },
      data: { status: 'RUNNING', lockedUntil: new Date(clock.getTime() - 1_000) },
    });
    await t.db.prisma.outboxCommand.update({
      where: { dedupeKey: `test:${held}` },
      data: { status: 'RUNNING', lockedUntil: new Date(clock.getTime() + 60_000) },
    });
    const { handler, ran } = scripted();

    // when
    const claimed = await worker(handler).runOnce();

    // then
    expect(claimed).toBe(1);
    expect(ran).toEqual([crashed]);
    expect(await commandOf(crashed!)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(await commandOf(held!)).toMatchObject({ status: 'RUNNING', attempts: 0 });
  });

  it('a worker that lost its lease to another settles nothing', async () => {
    // given
    const [subject] = await enqueue();
    const [claim] = await claimDueCommands(t.db, { kinds: [KIND], limit: 1, leaseMs: 1_000, now: clock });
    const takenOver = new Date(clock.getTime() + 90_000);
    await t.db.prisma.outboxCommand.update({ where: { id: claim!.command.id }, data: { lockedUntil: takenOver } });
    const { handler, ran, settled } = scripted();

    // when
    const settlement = await runClaimedCommand({ db: t.db, providers: t.providers, log }, claim!, {
      handlers: { [KIND]: handler },
      policy: { baseDelayMs: 1, maxDelayMs: 1, jitter: 0, maxAttempts: 1 },
      now,
      random: Math.random,
    });

    // then
    expect(ran).toEqual([subject]);
    expect(settlement).toBeNull();
    expect(settled).toEqual([]);
    expect(await commandOf(subject!)).toMatchObject({ status: 'RUNNING', attempts: 0, lockedUntil: takenOver });
  });

  it('two workers polling side by side never run the same command twice', async () => {
    // given
    const subjects = await enqueue(25);
    const { handler, ran } = scripted();
    const [first, second] = [worker(handler, { batchSize: 4 }), worker(handler, { batchSize: 4 })];

    // when
    const claims = await Promise.all([
      claimDueCommands(t.db, { kinds: [KIND], limit: 5, leaseMs: 60_000, now: clock }),
      claimDueCommands(t.db, { kinds: [KIND], limit: 5, leaseMs: 60_000, now: clock }),
    ]);
    await t.db.prisma.outboxCommand.updateMany({ where: { status: 'RUNNING' }, data: { status: 'PENDING', lockedUntil: null } });
    let claimed = 0;
    for (;;) {
      const counts = await Promise.all([first.runOnce(), second.runOnce()]);
      claimed += counts[0] + counts[1];
      if (counts[0] + counts[1] === 0) break;
    }

    // then
    const [a, b] = claims.map((claim) => claim.map((c) => c.command.subjectId));
    expect(a!.length + b!.length).toBe(10);
    expect(a!.filter((subject) => b!.includes(subject))).toEqual([]);
    expect(claimed).toBe(25);
    expect([...ran].sort()).toEqual([...subjects].sort());
    expect(await t.db.prisma.outboxCommand.count({ where: { status: 'SUCCEEDED', attempts: 1 } })).toBe(25);
  });

  it('requeues a finished command with a fresh budget, but leaves one a worker holds alone', async () => {
    // given
    const [dead, running] = await enqueue(2);
    await t.db.prisma.outboxCommand.update({ where: { dedupeKey: `test:${dead}` }, data: { status: 'DEAD', attempts: 5, lastError: 'gave up' } });
    const lease = new Date(Date.now() + 60_000);
    await t.db.prisma.outboxCommand.update({ where: { dedupeKey: `test:${running}` }, data: { status: 'RUNNING', attempts: 2, lockedUntil: lease } });
    const fresh = `subject-${++sequence}`;
    const command = (subjectId: string) => ({
      merchantId: t.merchant.id,
      kind: KIND,
      subjectType: 'WAREHOUSE_PRODUCT' as const,
      subjectId,
      dedupeKey: `test:${subjectId}`,
    });

    // when
    await t.db.prisma.$transaction((tx) => requeueCommands(tx, [command(dead!), command(running!), command(fresh)]));

    // then
    expect(await commandOf(dead!)).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null, lockedUntil: null });
    expect(await commandOf(running!)).toMatchObject({ status: 'RUNNING', attempts: 2, lockedUntil: lease });
    expect(await commandOf(fresh)).toMatchObject({ status: 'PENDING', attempts: 0, kind: KIND, merchantId: t.merchant.id });
  });

  describe('the running worker', () => {
    it('polls, runs what becomes due on wake(), and keeps polling after an idle pause', async () => {
      // given
      const { handler } = scripted();
      const running = startOutboxWorker({ db: t.db, providers: t.providers, log, pollIntervalMs: 3_600_000, handlers: { [KIND]: handler } });
      try {
        // when
        const [subject] = await enqueue(1, { at: new Date(Date.now() - 1_000) });
        running.wake();

        // then
        await eventually(() => commandOf(subject!), (command) => command.status === 'SUCCEEDED');
      } finally {
        await running.stop();
      }
    });

    it('picks up new commands by itself between polls', async () => {
      // given
      const { handler } = scripted();
      const running = startOutboxWorker({ db: t.db, providers: t.providers, log, pollIntervalMs: 10, handlers: { [KIND]: handler } });
      try {
        // when
        const subjects = await enqueue(3, { at: new Date(Date.now() - 1_000) });

        // then
        await eventually(
          () => t.db.prisma.outboxCommand.count({ where: { dedupeKey: { in: subjects.map((s) => `test:${s}`) }, status: 'SUCCEEDED' } }),
          (count) => count === 3,
        );
      } finally {
        await running.stop();
      }
    });

    it('stop() waits for the command in flight to settle', async () => {
      // given
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const started = new Promise<void>((resolve) => (entered = resolve));
      const { handler } = scripted(async () => {
        entered();
        await gate;
        return { type: 'SUCCEEDED', result: null };
      });
      const [subject] = await enqueue(1, { at: new Date(Date.now() - 1_000) });
      const running = startOutboxWorker({ db: t.db, providers: t.providers, log, pollIntervalMs: 3_600_000, handlers: { [KIND]: handler } });
      await started;

      // when
      let stopped = false;
      const stopping = running.stop().then(() => (stopped = true));
      await new Promise((resolve) => setImmediate(resolve));
      const stoppedBeforeRelease = stopped;
      release();
      await stopping;

      // then
      expect(stoppedBeforeRelease).toBe(false);
      expect(await commandOf(subject!)).toMatchObject({ status: 'SUCCEEDED' });
    });
  });
});
