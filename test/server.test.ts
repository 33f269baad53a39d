// One gateway instance end to end: start-up migrations, demo seeding, restart, shutdown.
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { PortInUseError, type RunningGateway, startGateway } from '../src/server.ts';
import { createPostgresDatabase } from './helpers/database.ts';

const silent = createLogger({ level: 'silent' });

interface Environment {
  config(overrides?: Record<string, string>): Config;
  cleanup(): Promise<void>;
}

/** A temporary DATA_DIR and, on the PostgreSQL path, an empty database of its own. */
async function environment(): Promise<Environment> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fg-server-'));
  const serverUrl = process.env.TEST_DATABASE_URL;
  const postgres = serverUrl ? await createPostgresDatabase(serverUrl, { migrated: false }) : null;
  return {
    config: (overrides = {}) =>
      loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        SIMULATOR_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'development',
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
        ...overrides,
      }),
    async cleanup() {
      await postgres?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function graphqlRequest(gateway: RunningGateway, query: string, token: string | undefined) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

describe('a gateway started on an empty database', () => {
  let env: Environment;
  let gateway: RunningGateway;

  beforeAll(async () => {
    env = await environment();
    gateway = await startGateway(env.config(), silent);
  });
  afterAll(async () => {
    await gateway?.stop();
    await env?.cleanup();
  });

  it('applies the migrations and reports ready', async () => {
    const response = await fetch(`${gateway.url}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: gateway.db.kind });
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('seeds a demo merchant whose OWNER, SUPPORT and SERVICE tokens work', async () => {
    const owner = await graphqlRequest(gateway, '{ viewer { role merchant { name } } }', gateway.demo?.ownerToken);
    const support = await graphqlRequest(gateway, '{ viewer { role } merchants(first: 5) { totalCount } }', gateway.demo?.supportToken);
    const service = await graphqlRequest(gateway, '{ viewer { role } }', gateway.demo?.serviceToken);

    expect(owner.data).toEqual({ viewer: { role: 'OWNER', merchant: { name: 'Demo Merchant' } } });
    expect(support.data).toEqual({ viewer: { role: 'SUPPORT' }, merchants: { totalCount: 1 } });
    expect(service.data).toEqual({ viewer: { role: 'SERVICE' } });
  });

  it('seeds a catalogue to explore: a warehouse with stocked SKUs and a store shipping from it', async () => {
    const { data } = await graphqlRequest(
      gateway,
      `{ stockRecords(first: 10) { edges { node { masterSku { sku } warehouse { name } onHand available } } }
         stores(first: 5) { edges { node { name shippingRules { warehouse { name } } } } } }`,
      gateway.demo?.ownerToken,
    );

    expect(data?.stockRecords.edges).toContainEqual({
      node: { masterSku: { sku: 'TSHIRT-RED-M' }, warehouse: { name: 'Demo Jakarta DC' }, onHand: 120, available: 120 },
    });
    expect(data?.stores.edges).toEqual([{ node: { name: 'Demo Shopee ID', shippingRules: [{ warehouse: { name: 'Demo Jakarta DC' } }] } }]);
  });

  it('starts the provider simulators in-process and binds the demo merchant to both (JD through its login page)', async () => {
    const { data } = await graphqlRequest(
      gateway,
      '{ integrations(first: 5) { edges { node { provider status statusDelivery warehouses(first: 5) { edges { node { name } } } } } } }',
      gateway.demo?.ownerToken,
    );

    expect(gateway.simulators).toEqual({ eccangUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), jdUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(data?.integrations.edges).toEqual([
      { node: { provider: 'ECCANG', status: 'ACTIVE', statusDelivery: 'PUSH', warehouses: { edges: [{ node: { name: 'BKK1DEMO' } }, { node: { name: 'CGK1DEMO' } }] } } },
      { node: { provider: 'JD', status: 'ACTIVE', statusDelivery: 'PUSH', warehouses: { edges: [{ node: { name: '110000001-EBU0000000001-demo_pin' } }] } } },
    ]);
  });

  it('places the demo SKUs in the 3PL warehouses, and the outbox worker pushes them to the simulators', async () => {
    const pushStatuses = async () =>
      (await gateway.db.prisma.warehouseProduct.findMany({ where: { warehouse: { kind: 'THIRD_PARTY' } }, select: { pushStatus: true } })).map((p) => p.pushStatus);

    await expect.poll(pushStatuses, { timeout: 30_000, interval: 200 }).toEqual(Array(9).fill('PUSHED'));
  });

  it('serves GraphiQL with the demo token pre-filled', async () => {
    const response = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('Fulfillment Gateway');
    expect(html).toContain(gateway.demo!.ownerToken);
  });

  it('echoes a caller-supplied request id, and makes one up otherwise', async () => {
    const given = await fetch(`${gateway.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    const madeUp = await fetch(`${gateway.url}/healthz`);

    expect(given.headers.get('x-request-id')).toBe('trace-123');
    expect(madeUp.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a second instance on the same port with a clear error', async () => {
    const port = new URL(gateway.url).port;
    const second = await environment();
    try {
      await expect(startGateway(second.config({ PORT: port }), silent)).rejects.toThrow(
        new PortInUseError(Number(port)),
      );
    } finally {
      await second.cleanup();
    }
  });
});

describe('restarting on the same data', () => {
  it('keeps the Master SKUs, the demo tokens, and working simulator bindings', async () => {
    // given
    const env = await environment();
    const simulatorPort = String(await freePortPair());
    try {
      const first = await startGateway(env.config({ SIMULATOR_PORT: simulatorPort }), silent);
      const token = first.demo!.ownerToken;
      const created = await graphqlRequest(
        first,
        'mutation { createMasterSku(input: { sku: "KEEP-1", name: "Kept" }) { userErrors { code } } }',
        token,
      );
      expect(created.data).toEqual({ createMasterSku: { userErrors: [] } });
      await first.stop();

      // when
      const second = await startGateway(env.config({ SIMULATOR_PORT: simulatorPort }), silent);
      try {
        const listed = await graphqlRequest(second, '{ masterSkus(first: 5, filter: { text: "KEEP" }) { edges { node { sku } } } }', token);
        const integrations = await graphqlRequest(second, '{ integrations(first: 5) { edges { node { id } } } }', token);
        const synced = await Promise.all(
          integrations.data!.integrations.edges.map((edge: { node: { id: string } }) =>
            graphqlRequest(second, `mutation { syncWarehouses(integrationId: "${edge.node.id}") { userErrors { code message } } }`, token),
          ),
        );

        // then
        expect(second.demo?.ownerToken).toBe(token);
        expect(listed.data).toEqual({ masterSkus: { edges: [{ node: { sku: 'KEEP-1' } }] } });
        expect(await second.db.prisma.merchant.count()).toBe(1);
        expect(synced.map((result) => result.data)).toEqual([
          { syncWarehouses: { userErrors: [] } },
          { syncWarehouses: { userErrors: [] } },
        ]);
      } finally {
        await second.stop();
      }
    } finally {
      await env.cleanup();
    }
  });
});

describe('production', () => {
  it('seeds nothing and prints no token', async () => {
    const env = await environment();
    try {
      const gateway = await startGateway(env.config({ NODE_ENV: 'production', SECRET_KEY: 'a'.repeat(64) }), silent);
      try {
        expect(gateway.demo).toBeNull();
        expect(await gateway.db.prisma.merchant.count()).toBe(0);
        expect(await gateway.db.prisma.apiToken.count()).toBe(0);
      } finally {
        await gateway.stop();
      }
    } finally {
      await env.cleanup();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight, refuses new connections, then closes the database', async () => {
    // given: a request whose body is still arriving
    const env = await environment();
    try {
      const gateway = await startGateway(env.config(), silent);
      const { port } = new URL(gateway.url);
      const body = JSON.stringify({ query: '{ viewer { role } }' });
      const arrived = new Promise((resolve) => gateway.server.once('request', resolve));
      const request = http.request({
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${gateway.demo!.ownerToken}`,
        },
      });
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        request.on('response', (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
        request.on('error', reject);
      });
      request.write(body.slice(0, 10));
      await arrived;

      // when
      const stopped = gateway.stop();
      const readyDuringShutdown = gateway.app.fetch('http://in-process/readyz');
      request.end(body.slice(10));

      // then
      expect(await response).toEqual({ status: 200, text: JSON.stringify({ data: { viewer: { role: 'OWNER' } } }) });
      expect((await readyDuringShutdown).status).toBe(503);
      await stopped;
      await expect(connect(Number(port))).rejects.toThrow(/ECONNREFUSED/);
      await expect(gateway.db.prisma.merchant.count()).rejects.toThrow();
    } finally {
      await env.cleanup();
    }
  });
});

/** A port whose next one is free too (simulator mode uses two). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const nextFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false)).listen(port + 1, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (nextFree && port < 65534) return port;
  }
}

function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
