// JD OAuth (open-oauth.jd.com): the authorize URL, code exchange and token refresh. State handling lives in the binding service.
import { providerFetch, recordedCall } from '../http.ts';
import { ProviderError, type ProviderCallRecorder } from '../types.ts';
import { jdErrorResponseSchema, jdTokenSchema } from './wire.ts';

export const JD_OAUTH_BASE_URL = 'https://open-oauth.jd.com';

export interface JdToken {
  accessToken: string;
  /** Seconds from issue. */
  expiresIn: number;
  refreshToken: string;
  scope: string | null;
  openId: string | null;
}

export function buildJdAuthorizeUrl(input: { baseUrl?: string; appKey: string; redirectUri: string; state: string; scope?: string }): string {
  const query = new URLSearchParams({
    app_key: input.appKey,
    response_type: 'code',
    redirect_uri: input.redirectUri,
    state: input.state,
    scope: input.scope ?? 'snsapi_base',
  });
  return `${trimSlash(input.baseUrl ?? JD_OAUTH_BASE_URL)}/oauth2/to_login?${query}`;
}

interface JdTokenCall {
  baseUrl?: string;
  appKey: string;
  appSecret: string;
  timeoutMs?: number;
  record?: ProviderCallRecorder;
}

export function exchangeJdCode(input: JdTokenCall & { code: string }): Promise<JdToken> {
  return tokenCall(input, 'oauthExchangeCode', '/oauth2/access_token', { grant_type: 'authorization_code', code: input.code });
}

export function refreshJdToken(input: JdTokenCall & { refreshToken: string }): Promise<JdToken> {
  return tokenCall(input, 'oauthRefreshToken', '/oauth2/refresh_token', { grant_type: 'refresh_token', refresh_token: input.refreshToken });
}

async function tokenCall(input: JdTokenCall, operation: string, path: string, grant: Record<string, string>): Promise<JdToken> {
  return recordedCall({ provider: 'JD', method: operation, record: input.record }, async () => {
    // JD takes the secret in the query string (PROVIDERS.md); the call record never holds the URL.
    const query = new URLSearchParams({ app_key: input.appKey, app_secret: input.appSecret, ...grant });
    const body = await providerFetch({
      provider: 'JD',
      method: operation,
      url: `${trimSlash(input.baseUrl ?? JD_OAUTH_BASE_URL)}${path}?${query}`,
      timeoutMs: input.timeoutMs ?? 15_000,
      init: { method: 'GET' },
    });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ProviderError('JD', 'MALFORMED', `${operation}: the answer is not JSON`);
    }
    const error = jdErrorResponseSchema.safeParse(json);
    if (error.success) {
      const { code, zh_desc, en_desc } = error.data.error_response;
      // A refused code, secret or refresh token: the merchant must authorise again.
      throw new ProviderError('JD', 'AUTH', `${operation}: JD error ${code}: ${zh_desc ?? en_desc ?? 'no description'}`);
    }
    const token = jdTokenSchema.safeParse(json);
    if (!token.success) throw new ProviderError('JD', 'MALFORMED', `${operation}: unexpected token answer`);
    return {
      accessToken: token.data.access_token,
      expiresIn: token.data.expires_in,
      refreshToken: token.data.refresh_token,
      scope: token.data.scope ?? null,
      openId: token.data.open_id ?? null,
    };
  });
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
