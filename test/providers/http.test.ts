// The shared provider transport: timeouts, no redirects, failures mapped, calls recorded.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFetch, recordedCall } from '../../src/providers/http.ts';
import { ProviderError, type ProviderCallRecord } from '../../src/providers/types.ts';

describe('providerFetch', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return res.end('hello');
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/down') return res.writeHead(503).end('busy');
      if (req.url === '/forbidden') return res.writeHead(403).end();
      if (req.url === '/hang') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, timeoutMs = 2_000) =>
    providerFetch({ provider: 'ECCANG', method: 'test', url: `${base}${path}`, init: { method: 'GET' }, timeoutMs });

  it('does not follow a redirect', async () => {
    await expect(call('/redirect')).rejects.toThrow('test: HTTP 302 redirect, not followed');
  });

  it('returns the body of a 2xx answer', async () => {
    expect(await call('/ok')).toBe('hello');
  });

  it.each([
    ['/redirect', 'REJECTED', false],
    ['/down', 'UNAVAILABLE', true],
    ['/forbidden', 'AUTH', false],
    ['/missing', 'REJECTED', false],
  ] as const)('maps %s to %s', async (path, code, retryable) => {
    const error = await call(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code, provider: 'ECCANG' });
    expect((error as ProviderError).retryable).toBe(retryable);
  });

  it('gives up after the timeout, as a retryable TIMEOUT', async () => {
    const error = await call('/hang', 200).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('maps a refused connection to a retryable UNAVAILABLE', async () => {
    const error = await providerFetch({ provider: 'JD', method: 'test', url: 'http://127.0.0.1:1/', init: {}, timeoutMs: 2_000 }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, provider: 'JD' });
  });
});

describe('recordedCall', () => {
  it('records the outcome of the whole operation, parse failures as MALFORMED', async () => {
    const calls: ProviderCallRecord[] = [];
    const record = (entry: ProviderCallRecord) => calls.push(entry);

    await recordedCall({ provider: 'JD', method: 'ok', record }, async () => 1);
    const error = await recordedCall({ provider: 'JD', method: 'bad', record }, async () => JSON.parse('{')).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'MALFORMED', retryable: true });
    expect(calls.map(({ method, outcome }) => ({ method, outcome }))).toEqual([
      { method: 'ok', outcome: 'OK' },
      { method: 'bad', outcome: 'MALFORMED' },
    ]);
    expect(calls.every((entry) => Number.isInteger(entry.durationMs))).toBe(true);
  });
});
