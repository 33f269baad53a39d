// Starts and stops one gateway instance: database → migrations → demo seed → HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { runMigrations } from './db/migrations.ts';
import type { Logger } from './logger.ts';
import { startProviderRuntime } from './provider-runtime.ts';
import { loadSecretBox } from './secrets.ts';
import { bindDemoIntegrations } from './demo-bindings.ts';
import { startOutboxWorker } from './jobs/outbox.job.ts';
import { DEMO_SKUS, type DemoTokens, demoMerchantId, ensureDemoMerchant } from './services/demo.service.ts';
import { ProviderAccess } from './services/provider-access.ts';

export interface RunningGateway {
  url: string;
  app: App;
  db: Database;
  providers: ProviderAccess;
  server: Server;
  demo: DemoTokens | null;
  /** Simulator mode: where the in-process simulators listen. */
  simulators: { eccangUrl: string; jdUrl: string } | null;
  stop(): Promise<void>;
}

/** Stored push messages not yet processed (a crash, an outage, a disabled integration) are retried this often. */
const INBOX_SWEEP_MS = 30_000;

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use: stop the other process or set PORT to a free port`);
    this.name = 'PortInUseError';
  }
}

export async function startGateway(config: Config, log: Logger): Promise<RunningGateway> {
  const closers: (() => Promise<void>)[] = [];
  const db = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') },
  );
  closers.push(() => db.close());
  try {
    const { applied } = await runMigrations(db);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');

    const demo = config.isProduction
      ? null
      : await ensureDemoMerchant(db, {
          dataDir: config.dataDir,
          ownerToken: config.DEMO_OWNER_TOKEN,
          supportToken: config.DEMO_SUPPORT_TOKEN,
          serviceToken: config.DEMO_SERVICE_TOKEN,
        });

    const runtime = await startProviderRuntime(config, DEMO_SKUS);
    closers.push(() => runtime.close());
    let publicUrl = config.PUBLIC_URL?.replace(/\/+$/, '') ?? '';
    const providers = new ProviderAccess({ db, log, secrets: await loadSecretBox(config), endpoints: runtime.endpoints, publicUrl: () => publicUrl });
    closers.push(() => providers.drain());

    const app = createApp({ db, log, providers, graphiqlToken: demo?.ownerToken, maskErrors: true });
    const server = createServer(app.yoga);
    await listen(server, config.PORT, config.HOST);
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const url = `http://${host}:${port}`;
    // Simulators and the demo's OAuth redirect call back on loopback; a public deployment sets PUBLIC_URL.
    publicUrl ||= `http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
    closers.push(() => app.inbox.stop());
    closers.push(() => closeServer(server, config.SHUTDOWN_TIMEOUT_MS));

    // Simulators must know the bound accounts again before any work is sent to them.
    await runtime.restoreBoundAccounts(db, providers, log);
    const demoMerchant = demo && runtime.simulators ? await demoMerchantId(db, demo) : null;
    if (demoMerchant && runtime.simulators) await bindDemoIntegrations({ db, providers, log }, demoMerchant, runtime.simulators.eccangUrl);
    app.inbox.start(INBOX_SWEEP_MS);
    const outbox = startOutboxWorker({ db, providers, log });
    closers.push(() => outbox.stop());

    const stop = once(async () => {
      app.markShuttingDown();
      await closeAll(closers);
    });
    return { url, app, db, providers, server, demo, simulators: runtime.simulators, stop };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, lets in-flight requests finish, and cuts what is left after the timeout. */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Runs every closer, the last registered first, even when one fails; the first failure is rethrown. */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  let failure: unknown = null;
  for (const close of closers.toReversed()) {
    try {
      await close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= work());
}
