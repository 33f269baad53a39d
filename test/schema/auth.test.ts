import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { TestApp, type TestMerchant } from '../helpers/app.ts';

const Viewer = graphql(`
  query AuthViewer {
    viewer { role merchant { id name } }
  }
`);

const CreateSku = graphql(`
  mutation AuthCreateSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) {
      masterSku { id sku }
      userErrors { field code }
    }
  }
`);

const RenameSku = graphql(`
  mutation AuthRenameSku($id: ID!, $name: String!) {
    updateMasterSku(id: $id, input: { name: $name }) {
      masterSku { id name }
      userErrors { field code message }
    }
  }
`);

const ListSkus = graphql(`
  query AuthListSkus {
    masterSkus(first: 50) { totalCount edges { node { id sku } } }
  }
`);

const NodeById = graphql(`
  query AuthNode($id: ID!) {
    node(id: $id) { id ... on MasterSku { sku } ... on Merchant { name } }
  }
`);

const Merchants = graphql(`
  query AuthMerchants {
    merchants(first: 10) { totalCount edges { node { id name } } }
  }
`);

describe('authentication and tenant isolation', () => {
  let t: TestApp;
  let merchantB: TestMerchant;
  let skuOfA: { id: string; sku: string };

  beforeAll(async () => {
    t = await TestApp.create();
    merchantB = await t.createMerchant('Merchant B');
    const { createMasterSku } = await t.data(CreateSku, { input: { sku: 'A-ONLY', name: 'Secret of A' } });
    skuOfA = createMasterSku.masterSku!;
  });
  afterAll(() => t?.close());

  describe('who may call', () => {
    it('answers a request without a token with a 401 UNAUTHENTICATED error', async () => {
      const result = await t.execute(ListSkus, {}, { token: null });

      expect(result.status).toBe(401);
      expect(result.errors?.[0]).toMatchObject({
        message: 'Authentication required: send "Authorization: Bearer <token>"',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(result.data?.masterSkus).toBeUndefined();
    });

    it.each([
      ['an unknown token', { authorization: 'Bearer fgw_thisTokenWasNeverIssuedToAnyone' }, 'Invalid or revoked API token'],
      ['a malformed header', { authorization: 'Basic dXNlcjpwYXNz' }, 'Malformed Authorization header: expected "Bearer <token>"'],
    ])('refuses %s with 401', async (_case, headers, message) => {
      const result = await t.execute(ListSkus, {}, { token: null, headers });

      expect(result.status).toBe(401);
      expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: 'UNAUTHENTICATED' } });
    });

    it('refuses a revoked token', async () => {
      const merchant = await t.createMerchant('Revoked');
      await t.db.prisma.apiToken.updateMany({ where: { merchantId: merchant.id }, data: { revokedAt: new Date() } });

      const result = await t.execute(ListSkus, {}, { token: merchant.ownerToken });

      expect(result.status).toBe(401);
    });

    it('lets introspection through without a token, so GraphiQL can show the docs', async () => {
      const response = await t.app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    });

    it('never stores a token in plain text', async () => {
      const rows = await t.db.prisma.apiToken.findMany({ select: { tokenHash: true, prefix: true } });

      for (const row of rows) {
        expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.tokenHash).not.toContain(t.merchant.ownerToken);
        expect(row.prefix.length).toBeLessThan(12);
      }
    });

    it('keeps tokens out of the logs', async () => {
      await t.execute(ListSkus);

      expect(JSON.stringify(t.logs)).not.toContain(t.merchant.ownerToken);
    });
  });

  describe('roles', () => {
    it('lets STAFF create Master SKUs like OWNER', async () => {
      const { createMasterSku } = await t.data(CreateSku, { input: { sku: 'BY-STAFF', name: 'x' } }, { token: t.merchant.staffToken });

      expect(createMasterSku.userErrors).toEqual([]);
    });

    it('keeps the SERVICE token out of catalogue reads and writes', async () => {
      const read = await t.execute(ListSkus, {}, { token: t.merchant.serviceToken });
      const write = await t.execute(CreateSku, { input: { sku: 'BY-SVC', name: 'x' } }, { token: t.merchant.serviceToken });

      expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await t.db.prisma.masterSku.count({ where: { sku: 'BY-SVC' } })).toBe(0);
    });

    it('tells the viewer who they are', async () => {
      const { viewer } = await t.data(Viewer);

      expect(viewer).toEqual({ role: 'OWNER', merchant: { id: expect.any(String), name: 'Merchant A' } });
    });
  });

  describe('another merchant', () => {
    it('does not see the SKU in lists', async () => {
      const { masterSkus } = await t.data(ListSkus, {}, { token: merchantB.ownerToken });

      expect(masterSkus.edges.map((edge) => edge.node.sku)).not.toContain('A-ONLY');
      expect(masterSkus.totalCount).toBe(0);
    });

    it('gets null for its global id through node(id:)', async () => {
      const { node } = await t.data(NodeById, { id: skuOfA.id }, { token: merchantB.ownerToken });

      expect(node).toBeNull();
    });

    it("gets null for merchant A's own node", async () => {
      const { viewer } = await t.data(Viewer);

      const { node } = await t.data(NodeById, { id: viewer.merchant!.id }, { token: merchantB.ownerToken });

      expect(node).toBeNull();
    });

    it('cannot update it: NOT_FOUND, and nothing changes', async () => {
      const { updateMasterSku } = await t.data(RenameSku, { id: skuOfA.id, name: 'Hijacked' }, { token: merchantB.ownerToken });

      expect(updateMasterSku.userErrors).toEqual([{ field: ['id'], code: 'NOT_FOUND', message: 'No such Master SKU' }]);
      expect((await t.db.prisma.masterSku.findFirstOrThrow({ where: { sku: 'A-ONLY' } })).name).toBe('Secret of A');
    });

    it('may reuse the same SKU code, since SKUs are unique per merchant', async () => {
      const { createMasterSku } = await t.data(CreateSku, { input: { sku: 'A-ONLY', name: 'Mine' } }, { token: merchantB.ownerToken });

      expect(createMasterSku.userErrors).toEqual([]);
    });

    it('cannot reach merchant A by sending X-Merchant-Id: only SUPPORT may choose', async () => {
      const { masterSkus } = await t.data(ListSkus, {}, { token: merchantB.ownerToken, merchantId: t.merchant.id });

      expect(masterSkus.edges.map((edge) => edge.node.id)).not.toContain(skuOfA.id);
    });
  });

  describe('SUPPORT', () => {
    it('lists merchants to choose from', async () => {
      const { merchants } = await t.data(Merchants, {}, { token: t.supportToken });

      expect(merchants.edges.map((edge) => edge.node.name)).toEqual(expect.arrayContaining(['Merchant A', 'Merchant B']));
    });

    it('must choose a merchant before reading merchant data', async () => {
      const result = await t.execute(ListSkus, {}, { token: t.supportToken });

      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'MERCHANT_REQUIRED' } });
    });

    it('reads the chosen merchant, and every read is audited', async () => {
      // given
      const before = await t.db.prisma.auditLog.count();

      // when
      const { masterSkus } = await t.data(ListSkus, {}, { token: t.supportToken, merchantId: t.merchant.id });

      // then
      expect(masterSkus.edges.map((edge) => edge.node.sku)).toContain('A-ONLY');
      const audit = await t.db.prisma.auditLog.findMany({ orderBy: { createdAt: 'desc' }, take: 1 });
      expect(await t.db.prisma.auditLog.count()).toBe(before + 1);
      expect(audit[0]).toMatchObject({ merchantId: t.merchant.id, operationName: 'AuthListSkus', operationType: 'query' });
      expect(audit[0]!.document).toContain('masterSkus');
    });

    it('cannot mutate, even with a merchant chosen', async () => {
      const result = await t.execute(CreateSku, { input: { sku: 'BY-SUPPORT', name: 'x' } }, { token: t.supportToken, merchantId: t.merchant.id });

      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await t.db.prisma.masterSku.count({ where: { sku: 'BY-SUPPORT' } })).toBe(0);
    });

    it('gets a 401 for an X-Merchant-Id that names no merchant', async () => {
      const result = await t.execute(ListSkus, {}, { token: t.supportToken, merchantId: 'no-such-merchant' });

      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.message).toBe('X-Merchant-Id names no merchant');
    });
  });
});
