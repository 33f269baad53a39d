// The HTTP application: GraphQL (yoga) plus health routes. Listening is main.ts's job.
import { randomUUID } from 'node:crypto';
import { type DefinitionNode, GraphQLError, type OperationDefinitionNode, print } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { RequestContext } from './context.ts';
import type { Database } from './db/database.ts';
import { migrationStatus } from './db/migrations.ts';
import { graphiqlAssets, renderGraphiQL } from './graphiql.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { getSchema } from './schema/index.ts';
import { AUTH_FAILURE_MESSAGES, authenticate } from './services/auth.service.ts';
import type { ProviderAccess } from './services/provider-access.ts';
import { jdOAuthCallback } from './routes/jd-oauth-callback.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { WebhookInbox } from './services/webhook-inbox.service.ts';

export interface AppOptions {
  db: Database;
  log: Logger;
  providers: ProviderAccess;
  /** Pre-fills GraphiQL's headers (demo mode only). */
  graphiqlToken?: string;
  /** Masks unexpected errors' messages (production). */
  maskErrors?: boolean;
}

export interface App {
  yoga: YogaServerInstance<{}, RequestContext>;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Provider push messages received here, processed in the background. */
  inbox: WebhookInbox;
  /** Makes /readyz answer 503 so load balancers drain this instance. */
  markShuttingDown(): void;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function createApp(options: AppOptions): App {
  const state = { shuttingDown: false };
  const metrics = new Metrics();
  const inbox = new WebhookInbox(options);
  const yoga = createYoga<{}, RequestContext>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: (options.maskErrors ?? true) && {
      // Masked for the caller, but an operator needs to see it.
      maskError: (error, message, isDev) => {
        const masked = maskError(error, message, isDev);
        if (masked !== error) options.log.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error');
        return masked;
      },
    },
    logging: pinoAdapter(options.log),
    renderGraphiQL,
    graphiql: {
      title: 'Fulfillment Gateway',
      defaultQuery: DEFAULT_QUERY,
      headers: options.graphiqlToken
        ? JSON.stringify({ Authorization: `Bearer ${options.graphiqlToken}` }, null, 2)
        : undefined,
    },
    context: async ({ request }) => {
      const requestId = requestIdOf(request);
      const auth = await authenticate(
        options.db,
        request.headers.get('authorization'),
        request.headers.get('x-merchant-id'),
      );
      if ('failure' in auth) {
        throw new GraphQLError(AUTH_FAILURE_MESSAGES[auth.failure], {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return { db: options.db, viewer: auth.viewer, requestId, log: options.log.child({ requestId }), providers: options.providers };
    },
    plugins: [
      graphiqlAssets(),
      healthRoutes(options.db, state),
      metricsRoute(options.db, metrics, options.providers),
      jdOAuthCallback(options),
      webhookRoutes({ ...options, inbox }),
      requestLogging(options.log, metrics),
      supportAudit(options.db),
    ],
  });
  return {
    yoga,
    fetch: async (url, init) => yoga.fetch(url, init ?? {}),
    inbox,
    markShuttingDown: () => {
      state.shuttingDown = true;
    },
  };
}

const DEFAULT_QUERY = `# Your token is in "Headers" below. Press ▶ to run.
query Viewer {
  viewer {
    role
    merchant { id name }
  }
  masterSkus(first: 10) {
    totalCount
    edges { node { id sku name status } }
  }
  integrations(first: 5) {
    edges { node { provider name status statusDelivery warehouses(first: 5) { edges { node { name } } } } }
  }
}
`;

const requestIds = new WeakMap<Request, string>();

function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** /healthz: the process answers. /readyz: the database answers and has no pending migration. */
function healthRoutes(db: Database, state: { shuttingDown: boolean }): Plugin {
  return {
    async onRequest({ url, endResponse }) {
      if (url.pathname === '/healthz') return endResponse(json({ status: 'ok' }, 200));
      if (url.pathname !== '/readyz') return;
      if (state.shuttingDown) return endResponse(json({ status: 'shutting-down' }, 503));
      try {
        const { pending } = await migrationStatus(db);
        if (pending.length > 0) return endResponse(json({ status: 'migrations-pending', pending }, 503));
        return endResponse(json({ status: 'ready', database: db.kind }, 200));
      } catch {
        return endResponse(json({ status: 'database-unreachable' }, 503));
      }
    },
  };
}

/** GET /metrics: Prometheus text format; aggregates only, nothing of any merchant. */
function metricsRoute(db: Database, metrics: Metrics, providers: ProviderAccess): Plugin {
  return {
    onRequest({ url, request, endResponse }) {
      if (url.pathname !== '/metrics' || request.method !== 'GET') return;
      endResponse(new Response(metrics.render(db, providers.callCountLines()), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } }));
    },
  };
}

function requestLogging(log: Logger, metrics: Metrics): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const requestId = requestIdOf(request);
      response.headers.set('x-request-id', requestId);
      const url = new URL(request.url);
      const elapsedMs = performance.now() - (started.get(request) ?? performance.now());
      const durationMs = Math.round(elapsedMs);
      metrics.observeRequest(request.method, url.pathname, response.status, elapsedMs / 1000);
      log.info({ requestId, method: request.method, path: url.pathname, status: response.status, durationMs }, 'request');
    },
  };
}

/** Every operation a SUPPORT token runs is recorded: who, which merchant, what document. */
function supportAudit(db: Database): Plugin<RequestContext> {
  return {
    async onExecute({ args }) {
      const ctx = args.contextValue;
      if (ctx.viewer?.role !== 'SUPPORT') return;
      const operation = args.document.definitions.find(
        (definition: DefinitionNode): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
      );
      await db.prisma.auditLog.create({
        data: {
          apiTokenId: ctx.viewer.tokenId,
          merchantId: ctx.viewer.merchantId,
          operationName: args.operationName ?? operation?.name?.value ?? null,
          operationType: operation?.operation ?? 'unknown',
          document: print(args.document),
        },
      });
    },
  };
}

function pinoAdapter(log: Logger) {
  return {
    debug: (...args: unknown[]) => log.debug({ detail: args.slice(1) }, String(args[0])),
    info: (...args: unknown[]) => log.info({ detail: args.slice(1) }, String(args[0])),
    warn: (...args: unknown[]) => log.warn({ detail: args.slice(1) }, String(args[0])),
    error: (...args: unknown[]) =>
      log.error({ err: args.find((a) => a instanceof Error), detail: args.filter((a) => !(a instanceof Error)).slice(1) }, String(args[0])),
  };
}
