import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { TestApp } from '../helpers/app.ts';

const CreateStore = graphql(`
  mutation StoreCreate($input: CreateStoreInput!) {
    createStore(input: $input) {
      store { id channel country name externalId }
      userErrors { field message code }
    }
  }
`);

const UpdateStore = graphql(`
  mutation StoreUpdate($id: ID!, $input: UpdateStoreInput!) {
    updateStore(id: $id, input: $input) {
      store { id name }
      userErrors { field message code }
    }
  }
`);

const LinkChannelSkus = graphql(`
  mutation StoreLinkChannelSkus($input: LinkChannelSkusInput!) {
    linkChannelSkus(input: $input) {
      channelSkus { id code masterSku { sku } store { name } }
      userErrors { field message code index }
    }
  }
`);

const Stores = graphql(`
  query StoreList($filter: StoreFilter) {
    stores(first: 20, filter: $filter) {
      totalCount
      edges { node { name channel country channelSkus(first: 10) { totalCount edges { node { code masterSku { sku } } } } } }
    }
  }
`);

const CreateSku = graphql(`
  mutation StoreCreateSku($input: CreateMasterSkuInput!) {
    createMasterSku(input: $input) { masterSku { id sku } userErrors { code } }
  }
`);

describe('stores and channel SKUs', () => {
  let t: TestApp;
  let shopeeId: string;

  beforeAll(async () => {
    t = await TestApp.create();
    const { createStore } = await t.data(CreateStore, {
      input: { channel: 'SHOPEE', country: 'ID', name: 'Toko Merah', externalId: 'shp-100' },
    });
    shopeeId = createStore.store!.id;
    await t.data(CreateStore, { input: { channel: 'LAZADA', country: 'TH', name: 'Red Shop TH', externalId: 'lzd-7' } });
    for (const sku of ['MUG-1', 'MUG-2']) await t.data(CreateSku, { input: { sku, name: sku } });
  });
  afterAll(() => t?.close());

  it('creates a store once per channel shop', async () => {
    const { createStore } = await t.data(CreateStore, {
      input: { channel: 'SHOPEE', country: 'ID', name: 'Same shop again', externalId: 'shp-100' },
    });

    expect(createStore.userErrors).toEqual([
      { field: ['input', 'externalId'], message: 'This channel shop is already a store of this merchant', code: 'TAKEN' },
    ]);
  });

  it('validates names and renames a store', async () => {
    const blank = await t.data(CreateStore, { input: { channel: 'TIKTOK', country: 'PH', name: ' ', externalId: 'tt-1' } });
    const renamed = await t.data(UpdateStore, { id: shopeeId, input: { name: 'Toko Merah ID' } });

    expect(blank.createStore.userErrors).toEqual([{ field: ['input', 'name'], message: 'name must not be blank', code: 'INVALID' }]);
    expect(renamed.updateStore.store?.name).toBe('Toko Merah ID');
  });

  it('links channel SKUs to Master SKUs by code, creating them, then relinks and unlinks', async () => {
    // when
    const linked = await t.data(LinkChannelSkus, {
      input: {
        links: [
          { storeId: shopeeId, channelSkuCode: 'SHP-MUG-RED', masterSku: 'MUG-1' },
          { storeId: shopeeId, channelSkuCode: 'SHP-MUG-BLUE', masterSku: 'MUG-2' },
        ],
      },
    });
    const relinked = await t.data(LinkChannelSkus, {
      input: {
        links: [
          { storeId: shopeeId, channelSkuCode: 'SHP-MUG-RED', masterSku: 'MUG-2' },
          { storeId: shopeeId, channelSkuCode: 'SHP-MUG-BLUE', masterSku: null },
        ],
      },
    });

    // then
    expect(linked.linkChannelSkus.userErrors).toEqual([]);
    expect(relinked.linkChannelSkus.channelSkus.map((sku) => [sku.code, sku.masterSku?.sku ?? null])).toEqual([
      ['SHP-MUG-RED', 'MUG-2'],
      ['SHP-MUG-BLUE', null],
    ]);
    expect(await t.db.prisma.channelSku.count({ where: { code: { startsWith: 'SHP-MUG' } } })).toBe(2);
  });

  it('reports every bad link with its index and writes none of them', async () => {
    const other = await t.createMerchant('Other');
    const { stores } = await t.data(Stores, {}, { token: t.merchant.ownerToken });
    expect(stores.totalCount).toBe(2);
    const foreign = await t.data(
      CreateStore,
      { input: { channel: 'SHOPEE', country: 'ID', name: 'Foreign', externalId: 'shp-foreign' } },
      { token: other.ownerToken },
    );

    const { linkChannelSkus } = await t.data(LinkChannelSkus, {
      input: {
        links: [
          { storeId: shopeeId, channelSkuCode: 'NEW-OK', masterSku: 'MUG-1' },
          { storeId: shopeeId, channelSkuCode: 'NEW-BAD', masterSku: 'NO-SUCH-SKU' },
          { storeId: foreign.createStore.store!.id, channelSkuCode: 'X', masterSku: 'MUG-1' },
          { storeId: shopeeId, channelSkuCode: 'NEW-OK', masterSku: 'MUG-2' },
        ],
      },
    });

    expect(linkChannelSkus.userErrors).toEqual([
      { field: ['input', 'links', '1', 'masterSku'], message: 'No Master SKU "NO-SUCH-SKU"', code: 'NOT_FOUND', index: 1 },
      { field: ['input', 'links', '2', 'storeId'], message: 'No such store', code: 'NOT_FOUND', index: 2 },
      { field: ['input', 'links', '3', 'channelSkuCode'], message: 'appears twice for this store', code: 'INVALID', index: 3 },
    ]);
    expect(await t.db.prisma.channelSku.count({ where: { code: 'NEW-OK' } })).toBe(0);
  });

  it('filters stores by channel, country and text, with their channel SKUs nested', async () => {
    const byChannel = await t.data(Stores, { filter: { channel: 'LAZADA' } });
    const byCountry = await t.data(Stores, { filter: { country: 'ID' } });
    const byText = await t.data(Stores, { filter: { text: 'merah' } });

    expect(byChannel.stores.edges.map((edge) => edge.node.name)).toEqual(['Red Shop TH']);
    expect(byCountry.stores.edges.map((edge) => edge.node.name)).toEqual(['Toko Merah ID']);
    expect(byText.stores.edges[0]!.node.channelSkus.totalCount).toBe(2);
  });
});
