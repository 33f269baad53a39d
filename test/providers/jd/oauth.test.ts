// JD OAuth against the simulator: authorize URL, the auto-approving redirect, code exchange, refresh, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdProvider } from '../../../src/providers/jd/client.ts';
import { buildJdAuthorizeUrl, exchangeJdCode, refreshJdToken } from '../../../src/providers/jd/oauth.ts';
import { startJdSimulator } from '../../../src/providers/jd/simulator.ts';
import type { ProviderCallRecord } from '../../../src/providers/types.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('buildJdAuthorizeUrl', () => {
  it('builds the documented URL (golden)', () => {
    const url = buildJdAuthorizeUrl({ appKey: 'APPKEY', redirectUri: 'https://gw.example.com/oauth/jd/callback', state: 's t&1' });

    expect(url).toBe(
      'https://open-oauth.jd.com/oauth2/to_login?app_key=APPKEY&response_type=code' +
        '&redirect_uri=https%3A%2F%2Fgw.example.com%2Foauth%2Fjd%2Fcallback&state=s+t%261&scope=snsapi_base',
    );
  });

  it('takes a configurable base URL (the simulator)', () => {
    expect(buildJdAuthorizeUrl({ baseUrl: 'http://127.0.0.1:9/', appKey: 'k', redirectUri: 'http://x/cb', state: 's' })).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/oauth2\/to_login\?app_key=k&/,
    );
  });
});

describe('JD OAuth against the simulator', () => {
  let sim: Awaited<ReturnType<typeof startJdSimulator>>;
  const records: ProviderCallRecord[] = [];
  const redirectUri = 'http://127.0.0.1:1/oauth/jd/callback';

  beforeAll(async () => {
    sim = await startJdSimulator();
    sim.addApp('APPKEY', 'SECRET');
    sim.addDept('EBU1', [{ warehouseNo: 'W1', warehouseName: 'W1' }]);
  });
  afterAll(() => sim.close());

  async function authorize(state: string): Promise<URL> {
    const response = await fetch(buildJdAuthorizeUrl({ baseUrl: sim.url, appKey: 'APPKEY', redirectUri, state }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  it('redirects back with code and state, exchanges the code for a working token, and refreshes it', async () => {
    // given
    const callback = await authorize('state-123');
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-123');

    // when
    const token = await exchangeJdCode({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'SECRET', code: callback.searchParams.get('code')!, record: (call) => records.push(call) });

    // then
    expect(token).toMatchObject({ expiresIn: 86_400, scope: 'snsapi_base', openId: expect.any(String) });
    const client = (accessToken: string) => createJdProvider({ routerUrl: sim.routerUrl, appKey: 'APPKEY', appSecret: 'SECRET', accessToken, deptNo: 'EBU1' });
    await client(token.accessToken).verifyCredentials();
    expect(records.at(-1)).toMatchObject({ provider: 'JD', method: 'oauthExchangeCode', outcome: 'OK' });
    expect(JSON.stringify(records)).not.toContain('SECRET');

    // when refreshed
    const refreshed = await refreshJdToken({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'SECRET', refreshToken: token.refreshToken });

    // then the new token works, the old one no longer does
    expect(refreshed.openId).toBe(token.openId);
    await client(refreshed.accessToken).verifyCredentials();
    expect(await failure(client(token.accessToken).verifyCredentials())).toMatchObject({ code: 'AUTH' });
  });

  it('a code is single-use; errors carry zh_desc as AUTH', async () => {
    const code = (await authorize('s')).searchParams.get('code')!;
    await exchangeJdCode({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'SECRET', code });

    const reused = await failure(exchangeJdCode({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'SECRET', code }));

    expect(reused).toMatchObject({ code: 'AUTH' });
    expect((reused as Error).message).toContain('code无效或已使用');
  });

  it('a wrong secret or refresh token is AUTH', async () => {
    const code = (await authorize('s')).searchParams.get('code')!;

    expect(await failure(exchangeJdCode({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'WRONG', code }))).toMatchObject({ code: 'AUTH' });
    expect(await failure(refreshJdToken({ baseUrl: sim.url, appKey: 'APPKEY', appSecret: 'SECRET', refreshToken: 'nope' }))).toMatchObject({ code: 'AUTH' });
  });

  it('an unknown app key is not redirected', async () => {
    const response = await fetch(buildJdAuthorizeUrl({ baseUrl: sim.url, appKey: 'NOPE', redirectUri, state: 's' }), { redirect: 'manual' });

    expect(response.status).toBe(400);
  });
});
