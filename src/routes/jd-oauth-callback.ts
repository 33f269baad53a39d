// GET /oauth/jd/callback?code&state: where JD's login page sends the merchant's browser back.
// No bearer token comes with a browser redirect: the single-use `state` names the binding.
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { completeJdAuthorization } from '../services/jd-binding.service.ts';
import type { ProviderAccess } from '../services/provider-access.ts';

export const JD_OAUTH_CALLBACK_PATH = '/oauth/jd/callback';

export function jdOAuthCallback(deps: { db: Database; providers: ProviderAccess; log: Logger }): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      if (url.pathname !== JD_OAUTH_CALLBACK_PATH) return;
      if (request.method !== 'GET') return endResponse(page(405, 'Method not allowed', 'Use GET.'));
      const code = url.searchParams.get('code');
      const state = url.searchParams.get('state');
      if (!code || !state) {
        // JD sends the merchant back without a code when they cancel on its login page.
        return endResponse(page(400, 'JD authorization not completed', 'JD sent no authorization code. Start the binding again.'));
      }
      const result = await completeJdAuthorization(deps, { code, state, merchantId: null });
      if (!result.ok) {
        deps.log.info({ codes: result.userErrors.map((error) => error.code) }, 'JD authorization refused');
        return endResponse(page(400, 'JD authorization not completed', result.userErrors.map((error) => error.message).join(' ')));
      }
      const integration = result.value;
      const delivery = integration.statusDelivery === 'PUSH' ? 'Status messages are subscribed.' : 'Statuses will be polled.';
      return endResponse(page(200, 'JD account bound', `${integration.name} is active. ${delivery} You can close this window.`));
    },
  };
}

function page(status: number, title: string, message: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
