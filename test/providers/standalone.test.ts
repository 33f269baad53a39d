// `npm run simulator -- eccang|jd` serves a seeded simulator that the real clients can use.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createEccangProvider } from '../../src/providers/eccang/client.ts';
import { createJdProvider } from '../../src/providers/jd/client.ts';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Starts the runner on a free port and returns what it prints once it is listening. */
async function startSimulator(provider: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulator.ts', provider, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.split('\n').length > 2) resolve(output);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${output}`)));
  });
}

it('serves ECCANG with a demo account and warehouses', async () => {
  const output = await startSimulator('eccang');
  const baseUrl = /ECCANG simulator: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;

  const client = createEccangProvider({ baseUrl, appToken: 'demo-token', appKey: 'demo-key' });

  await client.verifyCredentials();
  expect((await client.listWarehouses()).map((warehouse) => warehouse.code)).toEqual(['BKK1', 'CGK1']);
});

it('serves JD with a demo app, token and department', async () => {
  const output = await startSimulator('jd');
  const routerUrl = /JD simulator: (\S+)/.exec(output)![1]!;
  const accessToken = /access_token=(\S+)/.exec(output)![1]!;

  const client = createJdProvider({ routerUrl, appKey: 'demo-app-key', appSecret: 'demo-app-secret', accessToken, deptNo: 'EBU0000000001' });

  expect((await client.listWarehouses()).map((warehouse) => warehouse.code)).toEqual(['110000001', '110000002']);
});
