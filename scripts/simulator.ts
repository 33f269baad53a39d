// `npm run simulator -- eccang|jd [--port N] [--skus N]`: a provider simulator on its own,
// seeded with a demo account, to point a gateway or a hand-written client at.
import { parseArgs } from 'node:util';
import { seedDemo, startEccangSimulator } from '../src/providers/eccang/simulator.ts';
import { JD_DEMO_WAREHOUSES, seedJdDemo, startJdSimulator } from '../src/providers/jd/simulator.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, skus: { type: 'string', default: '20' }, 'progress-ms': { type: 'string', default: '5000' } },
});
const provider = positionals[0];
const skus = Number(values.skus);

async function start(): Promise<{ close(): Promise<void> }> {
  if (provider === 'eccang') {
    const running = await startEccangSimulator({ port: Number(values.port ?? 4300), autoProgressMs: Number(values['progress-ms']) });
    seedDemo(running.simulator, { appToken: 'demo-token', appKey: 'demo-key', skus });
    console.log(`ECCANG simulator: ${running.url}/default/svc/web-service  appToken=demo-token appKey=demo-key`);
    console.log(`  control: ${running.url}/__control/received?appToken=demo-token`);
    return running;
  }
  if (provider === 'jd') {
    const running = await startJdSimulator({ port: Number(values.port ?? 4400) });
    const { accessToken } = seedJdDemo(running, { appKey: 'demo-app-key', appSecret: 'demo-app-secret', deptNo: 'EBU0000000001', skus });
    const warehouseNos = JD_DEMO_WAREHOUSES.map((warehouse) => warehouse.warehouseNo).join(',');
    console.log(`JD simulator: ${running.routerUrl}  app_key=demo-app-key app_secret=demo-app-secret`);
    console.log(`  access_token=${accessToken} deptNo=EBU0000000001 warehouseNo=${warehouseNos}; OAuth at ${running.url}/oauth2/to_login`);
    return running;
  }
  console.error('usage: npm run simulator -- eccang|jd [--port N] [--skus N]');
  process.exit(1);
}

const running = await start();
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
