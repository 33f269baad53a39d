// Provider webhooks. ECCANG: /webhooks/eccang/<integration token> (no signature: the URL token
// authenticates, and every push is confirmed by pulling). JD: /webhooks/jd, MD5-signed with the
// app secret. Order of checks: malformed → 400, unknown integration → 404, bad signature → 401.
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { eccangCallbackEcho, parseEccangPush } from '../providers/eccang/push.ts';
import { parseJdPush } from '../providers/jd/push.ts';
import { JD_PUSH_SIGN_HEADER, verifyJdPushSign } from '../providers/jd/sign.ts';
import { jdApp } from '../providers/registry.ts';
import type { ProviderAccess } from '../services/provider-access.ts';
import type { WebhookInbox } from '../services/webhook-inbox.service.ts';

/** Push bodies are small; anything bigger is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

const ECCANG_PATH = /^\/webhooks\/eccang\/([A-Za-z0-9_-]{16,128})$/;
const JD_PATH = '/webhooks/jd';

interface WebhookDeps {
  db: Database;
  providers: ProviderAccess;
  inbox: WebhookInbox;
  log: Logger;
}

export function webhookRoutes(deps: WebhookDeps): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      if (!url.pathname.startsWith('/webhooks/')) return;
      const eccang = ECCANG_PATH.exec(url.pathname);
      if (eccang) return endResponse(await eccangWebhook(deps, request, url, eccang[1]!));
      if (url.pathname === JD_PATH) return endResponse(await jdWebhook(deps, request));
      return endResponse(answer(404, 'no such webhook'));
    },
  };
}

async function eccangWebhook(deps: WebhookDeps, request: Request, url: URL, token: string): Promise<Response> {
  const integration = await deps.db.prisma.integration.findUnique({ where: { webhookToken: token } });
  if (!integration || integration.provider !== 'ECCANG' || integration.status === 'UNBOUND') return answer(404, 'unknown integration');
  if (request.method === 'GET') {
    // messageSubscript checks the callback first: GET ?random=N must echo {"random":"N"}.
    const random = url.searchParams.get('random');
    if (!random) return answer(400, 'random is required');
    return new Response(eccangCallbackEcho(random), { headers: { 'content-type': 'application/json' } });
  }
  if (request.method !== 'POST') return answer(405, 'use GET or POST');
  const raw = await readBody(request);
  if (raw === null) return answer(413, 'body too large');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return answer(400, 'body is not JSON');
  }
  const parsed = parseEccangPush(body);
  if (!parsed.ok) return answer(400, parsed.reason);
  const credentials = deps.providers.credentialsOf(integration);
  if (credentials.provider !== 'ECCANG' || credentials.appKey !== parsed.message.appKey) return answer(401, 'app_key does not match this integration');
  return store(deps, integration, `${integration.id}:${parsed.message.messageId}`, parsed.message.topic, body as object);
}

async function jdWebhook(deps: WebhookDeps, request: Request): Promise<Response> {
  if (request.method !== 'POST') return answer(405, 'use POST');
  const raw = await readBody(request);
  if (raw === null) return answer(413, 'body too large');
  const parsed = parseJdPush(raw);
  if (!parsed.ok) return answer(400, parsed.reason);
  const { appKey, deptNo } = parsed.message;
  const candidates = await deps.db.prisma.integration.findMany({
    where: { provider: 'JD', customerCode: deptNo, status: { notIn: ['UNBOUND', 'PENDING_AUTHORIZATION'] } },
    orderBy: { createdAt: 'asc' },
  });
  const bound = candidates.map((integration) => ({ integration, app: appOf(deps, integration) })).find(({ app }) => app?.appKey === appKey);
  if (!bound) return answer(404, 'unknown integration');
  if (!verifyJdPushSign(raw, request.headers.get(JD_PUSH_SIGN_HEADER), bound.app!.appSecret)) return answer(401, 'bad signature');
  return store(deps, bound.integration, `${appKey}:${parsed.message.messageId}`, parsed.message.topic, JSON.parse(raw) as object);
}

function appOf(deps: WebhookDeps, integration: Integration) {
  const credentials = deps.providers.credentialsOf(integration);
  if (credentials.provider !== 'JD') return null;
  try {
    return jdApp(deps.providers.endpoints, credentials.ownApp);
  } catch {
    return null;
  }
}

async function store(deps: WebhookDeps, integration: Integration, messageId: string, topic: string, payload: object): Promise<Response> {
  const { duplicate } = await deps.inbox.receive({ provider: integration.provider, integrationId: integration.id, messageId, topic, payload });
  deps.log.info({ provider: integration.provider, integrationId: integration.id, topic, duplicate }, 'webhook received');
  return answer(200, duplicate ? 'duplicate, already received' : 'received', true);
}

/** The body as text, or null past the size limit (checked as it streams, not after). */
async function readBody(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_WEBHOOK_BODY_BYTES) return null;
  const reader = request.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** ECCANG-style acknowledgement; JD reads only the HTTP status. */
function answer(status: number, message: string, success = false): Response {
  return new Response(JSON.stringify({ ask: success ? 'Success' : 'Failure', message }), { status, headers: { 'content-type': 'application/json' } });
}
