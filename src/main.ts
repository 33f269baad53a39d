// Entry point: config → gateway → signals. Start-up failures are one clear line, no stack.
import { ConfigError, loadConfig } from './config.ts';
import { MigrationError } from './db/migrations.ts';
import { createLogger } from './logger.ts';
import { SIMULATOR_ACCOUNTS } from './provider-runtime.ts';
import { PortInUseError, startGateway } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger({ level: config.LOG_LEVEL });

  let gateway;
  try {
    gateway = await startGateway(config, log);
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof MigrationError) {
      log.fatal(error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  log.info({ url: `${gateway.url}/graphql`, database: gateway.db.kind }, 'gateway listening');
  if (gateway.demo) {
    process.stdout.write(
      [
        '',
        `  Fulfillment Gateway is up: GraphiQL at ${gateway.url}/graphql`,
        `  Demo OWNER token:   ${gateway.demo.ownerToken}  (GraphiQL is pre-filled with it)`,
        `  Demo SUPPORT token: ${gateway.demo.supportToken}  (send X-Merchant-Id to pick a merchant)`,
        `  Demo SERVICE token: ${gateway.demo.serviceToken}  (the order service: ingestOrders, updateOrderStatus)`,
        ...(gateway.simulators ? simulatorLines(gateway.simulators) : []),
        '',
      ].join('\n') + '\n',
    );
  }

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    gateway
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function simulatorLines(simulators: { eccangUrl: string; jdUrl: string }): string[] {
  const { eccangSandbox, jdDeptNo, jdWarehouseNos } = SIMULATOR_ACCOUNTS;
  return [
    `  Simulators: ECCANG ${simulators.eccangUrl}, JD ${simulators.jdUrl} (the demo merchant is bound to both)`,
    `  Try bindEccang: baseUrl "${simulators.eccangUrl}", appToken "${eccangSandbox.appToken}", appKey "${eccangSandbox.appKey}"`,
    `  Try bindJd: mode QUICK, any pin, deptNo "${jdDeptNo}", warehouseNo "${jdWarehouseNos.join('" or "')}"`,
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
