import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, placementsOf } from '../../src/domain/allocation.ts';

const rules = (warehouseIds: string[], pairs: [warehouse: string, masterSku: string][]) => ({
  warehouseIds,
  placements: placementsOf(pairs.map(([warehouseId, masterSkuId]) => ({ warehouseId, masterSkuId }))),
});

describe('allocate', () => {
  it('sends every item to the first warehouse by priority that holds its SKU', () => {
    // given
    const storeRules = rules(['wh-1', 'wh-2'], [['wh-2', 'mug'], ['wh-1', 'mug'], ['wh-2', 'plate']]);

    // when
    const allocation = allocate([{ masterSkuId: 'mug' }, { masterSkuId: 'mug' }], storeRules);

    // then
    expect(allocation).toEqual({ itemWarehouseIds: ['wh-1', 'wh-1'], warehouseIds: ['wh-1'], mixedWarehouses: false });
  });

  it('flags MIXED_WAREHOUSES when items land in different warehouses, listing them by priority', () => {
    const storeRules = rules(['wh-1', 'wh-2'], [['wh-2', 'plate'], ['wh-1', 'mug']]);

    const allocation = allocate([{ masterSkuId: 'plate' }, { masterSkuId: 'mug' }], storeRules);

    expect(allocation).toEqual({ itemWarehouseIds: ['wh-2', 'wh-1'], warehouseIds: ['wh-1', 'wh-2'], mixedWarehouses: true });
  });

  it('leaves unlinked items and SKUs placed in no rule warehouse unallocated', () => {
    const storeRules = rules(['wh-1'], [['wh-1', 'mug'], ['wh-9', 'plate']]);

    const allocation = allocate([{ masterSkuId: null }, { masterSkuId: 'plate' }, { masterSkuId: 'mug' }], storeRules);

    expect(allocation).toEqual({ itemWarehouseIds: [null, null, 'wh-1'], warehouseIds: ['wh-1'], mixedWarehouses: false });
  });

  it('allocates nothing for a store without rules', () => {
    const allocation = allocate([{ masterSkuId: 'mug' }], rules([], [['wh-1', 'mug']]));

    expect(allocation).toEqual({ itemWarehouseIds: [null], warehouseIds: [], mixedWarehouses: false });
  });

  it('always picks the highest-priority holder, and flags mixing exactly when two warehouses are used', () => {
    const warehouse = fc.constantFrom('wh-a', 'wh-b', 'wh-c', 'wh-d');
    const sku = fc.constantFrom('s1', 's2', 's3', 's4', 's5');
    fc.assert(
      fc.property(
        fc.uniqueArray(warehouse, { maxLength: 4 }),
        fc.array(fc.tuple(warehouse, sku), { maxLength: 12 }),
        fc.array(fc.option(sku, { nil: null }), { maxLength: 8 }),
        (priority, pairs, itemSkus) => {
          const storeRules = rules(priority, pairs);
          const allocation = allocate(itemSkus.map((masterSkuId) => ({ masterSkuId })), storeRules);

          itemSkus.forEach((masterSkuId, index) => {
            const holders = priority.filter((id) => pairs.some(([w, s]) => w === id && s === masterSkuId));
            expect(allocation.itemWarehouseIds[index]).toBe(holders[0] ?? null);
          });
          const used = new Set(allocation.itemWarehouseIds.filter((id) => id !== null));
          expect(allocation.warehouseIds).toEqual(priority.filter((id) => used.has(id)));
          expect(allocation.mixedWarehouses).toBe(used.size > 1);
        },
      ),
    );
  });
});
