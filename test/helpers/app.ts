// Builds the app on a fresh database, with merchants and tokens, and calls it like a client:
// through yoga.fetch for speed, or over real HTTP where the transport is the point.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type App, createApp } from '../../src/app.ts';
import type { RequestContext } from '../../src/context.ts';
import type { Database } from '../../src/db/database.ts';
import type { Role } from '../../src/generated/prisma/enums.ts';
import { createLogger } from '../../src/logger.ts';
import type { ProviderEndpoints } from '../../src/providers/registry.ts';
import { issueApiToken } from '../../src/services/auth.service.ts';
import type { ProviderAccess } from '../../src/services/provider-access.ts';
import { createTestDatabase } from './database.ts';
import { testProviderAccess } from './providers.ts';

export interface TestMerchant {
  id: string;
  ownerToken: string;
  staffToken: string;
  serviceToken: string;
}

export interface CallOptions {
  token?: string | null;
  /** SUPPORT's merchant choice (X-Merchant-Id). */
  merchantId?: string;
  headers?: Record<string, string>;
}

export interface GraphQLResponse<TData> extends ExecutionResult<TData> {
  status: number;
}

export class TestApp {
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[] = [];
  app!: App;
  merchant!: TestMerchant;
  supportToken!: string;
  providers!: ProviderAccess;
  /** Where providers call back (webhooks, OAuth redirect): set by listen(). */
  publicUrl = 'http://gateway.test';

  private constructor(readonly db: Database) {}

  /**
   * `prefillGraphiQL`: GraphiQL opens with merchant A's owner token, as in demo mode.
   * `endpoints`: where providers are (default: nowhere; pass the simulators' URLs).
   */
  static async create(options: { prefillGraphiQL?: boolean; endpoints?: ProviderEndpoints } = {}): Promise<TestApp> {
    const testApp = new TestApp(await createTestDatabase());
    const log = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n')) if (line) testApp.logs.push(JSON.parse(line));
          done();
        },
      }),
    });
    testApp.merchant = await testApp.createMerchant('Merchant A');
    testApp.providers = testProviderAccess(testApp.db, log, { endpoints: options.endpoints, publicUrl: () => testApp.publicUrl });
    testApp.app = createApp({
      db: testApp.db,
      log,
      providers: testApp.providers,
      graphiqlToken: options.prefillGraphiQL ? testApp.merchant.ownerToken : undefined,
    });
    testApp.supportToken = await issueApiToken(testApp.db, { merchantId: null, role: 'SUPPORT', name: 'support' });
    return testApp;
  }

  async createMerchant(name: string): Promise<TestMerchant> {
    const merchant = await this.db.prisma.merchant.create({ data: { name } });
    const issue = (role: Role) => issueApiToken(this.db, { merchantId: merchant.id, role, name: `${name} ${role}` });
    return {
      id: merchant.id,
      ownerToken: await issue('OWNER'),
      staffToken: await issue('STAFF'),
      serviceToken: await issue('SERVICE'),
    };
  }

  /** A service-layer context, as a request with a token of this role would get. */
  contextFor(merchantId: string, role: Role = 'OWNER'): RequestContext {
    return {
      db: this.db,
      viewer: { tokenId: `test-${role}`, role, merchantId },
      requestId: 'test',
      log: createLogger({ level: 'silent' }),
      providers: this.providers,
    };
  }

  /** Runs an operation through yoga.fetch; the owner token of merchant A unless told otherwise. */
  async execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options: CallOptions = {},
  ): Promise<GraphQLResponse<TData>> {
    const response = await this.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: requestHeaders(options, this.merchant.ownerToken),
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { status: response.status, ...((await response.json()) as ExecutionResult<TData>) };
  }

  /** Like execute, but fails the test on any GraphQL error. */
  async data<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: CallOptions,
  ): Promise<TData> {
    const result = await this.execute(document, variables, options);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? 'no data')}`);
    }
    return result.data;
  }

  /** Serves the app on a real port (127.0.0.1, random) until the returned close is called. */
  async listen(): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
    const server = createServer(this.app.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.publicUrl = `http://127.0.0.1:${port}`;
    return {
      url: this.publicUrl,
      server,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  async close(): Promise<void> {
    await this.providers.drain();
    await this.db.close();
  }
}

export function requestHeaders(options: CallOptions, defaultToken: string): Record<string, string> {
  const token = options.token === undefined ? defaultToken : options.token;
  return {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(options.merchantId ? { 'x-merchant-id': options.merchantId } : {}),
    ...options.headers,
  };
}
