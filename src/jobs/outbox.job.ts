// The outbox worker: claims due provider commands and runs them, polling when idle; safe to
// run in every instance (claims never overlap, see outbox.service.ts).
import type { Database } from '../db/database.ts';
import type { RetryPolicy } from '../domain/outbox-retry.ts';
import type { Logger } from '../logger.ts';
import { type OutboxHandlers, runDueCommands } from '../services/outbox.service.ts';
import { productPushHandler } from '../services/product-push.service.ts';
import type { ProviderAccess } from '../services/provider-access.ts';
import { PUSH_PRODUCT } from '../services/warehouse-product.service.ts';

/** Every command kind the gateway knows; later kinds (list pushes, cancels) add a line. */
export const OUTBOX_HANDLERS: OutboxHandlers = {
  [PUSH_PRODUCT]: productPushHandler,
};

export interface OutboxWorkerDeps {
  db: Database;
  providers: ProviderAccess;
  log: Logger;
  /** Pause between polls that found nothing to do (default 1000 ms). */
  pollIntervalMs?: number;
  /** Commands claimed per poll (default 10). */
  batchSize?: number;
  /** Commands of a batch run side by side (default 4). */
  concurrency?: number;
  /** How long a claimed command is this worker's before another may take it over (default 5 min). */
  leaseMs?: number;
  handlers?: OutboxHandlers;
  policy?: RetryPolicy;
  /** The clock commands are due by (tests move it forward instead of waiting). */
  now?: () => Date;
}

export interface OutboxWorker {
  /** Starts the polling loop (once). */
  start(): void;
  /** Polls now instead of at the end of the current pause. */
  wake(): void;
  /** Claims and runs one batch of due commands; resolves with how many were claimed. */
  runOnce(): Promise<number>;
  /** Ends the loop and waits for the commands in flight. */
  stop(): Promise<void>;
}

/** A worker that has not started polling: tests drive it with runOnce(). */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const log = deps.log.child({ job: 'outbox' });
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  const batchSize = deps.batchSize ?? 10;
  const inFlight = new Set<Promise<number>>();
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;

  function runOnce(): Promise<number> {
    const run = runDueCommands(
      { db: deps.db, providers: deps.providers, log },
      {
        handlers: deps.handlers ?? OUTBOX_HANDLERS,
        batchSize,
        concurrency: deps.concurrency,
        leaseMs: deps.leaseMs,
        policy: deps.policy,
        now: deps.now,
      },
    ).finally(() => inFlight.delete(run));
    inFlight.add(run);
    return run;
  }

  /** Resolves after `ms`, or sooner on wake() / stop(). */
  function pause(ms: number): Promise<void> {
    if (woken || stopping) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function poll(): Promise<void> {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        log.error({ err: error }, 'outbox poll failed');
      }
      // A full batch means more may be due: go on at once.
      if (claimed < batchSize) await pause(pollIntervalMs);
    }
  }

  return {
    start() {
      if (loop || stopping) return;
      loop = poll();
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    runOnce,
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Starts the outbox worker of this instance. */
export function startOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const worker = createOutboxWorker(deps);
  worker.start();
  return worker;
}
