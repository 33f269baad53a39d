// The real process: start-up errors are one clear line, SIGTERM stops it cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from './helpers/database.ts';

const root = path.resolve(import.meta.dirname, '..');

function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function waitFor(condition: () => boolean, what: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('start-up configuration errors', () => {
  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a port number (0-65535) (got "abc")'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DATABASE_URL: 'mysql://user:secret@db/x' }, 'Invalid configuration: DATABASE_URL must be a postgresql:// or postgres:// URL'],
    [{ NODE_ENV: 'production' }, 'Invalid configuration: SECRET_KEY is required when NODE_ENV is production'],
  ])('%o stops start-up with one line and no stack trace', async (env, line) => {
    const { child, output } = startProcess(env);

    expect(await exited(child)).toBe(1);
    expect(output().stderr).toBe(`${line}\n`);
    expect(output().stdout).toBe('');
  });
});

describe('a running process', () => {
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fg-main-'));
  });
  afterAll(async () => {
    await dropDatabase?.();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('prints the GraphiQL URL and demo tokens, then stops cleanly on SIGTERM', async () => {
    // given
    const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', SIMULATOR_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    if (process.env.TEST_DATABASE_URL) {
      const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL, { migrated: false });
      env.DATABASE_URL = database.url;
      dropDatabase = database.drop;
    }
    const { child, output } = startProcess(env);
    await waitFor(() => output().stdout.includes('Demo SERVICE token'), 'the start-up banner');

    // when
    child.kill('SIGTERM');

    // then
    expect(await exited(child)).toBe(0);
    const { stdout } = output();
    expect(stdout).toMatch(/GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(stdout).toMatch(/Demo OWNER token: +fgw_/);
    const logLines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(logLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['gateway listening', 'shutting down', 'stopped']));
  });
});
