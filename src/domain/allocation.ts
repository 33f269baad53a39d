// Warehouse shipping rules: each order item goes to the first warehouse, by the store's
// priority, where its Master SKU is placed.

export interface AllocationItem {
  /** null when the item's channel SKU is not linked to a Master SKU. */
  masterSkuId: string | null;
}

export interface AllocationRules {
  /** The store's rule warehouses, highest priority first. */
  warehouseIds: readonly string[];
  /** Master SKU id → ids of the warehouses it is placed in. */
  placements: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface Allocation {
  /** One per input item, same order: its warehouse, or null when none of the rules holds its SKU. */
  itemWarehouseIds: (string | null)[];
  /** The distinct warehouses items landed in, highest priority first. */
  warehouseIds: string[];
  /** Items landed in more than one warehouse: they must never be packed together. */
  mixedWarehouses: boolean;
}

export function allocate(items: readonly AllocationItem[], rules: AllocationRules): Allocation {
  const itemWarehouseIds = items.map((item) => {
    const placedIn = item.masterSkuId === null ? undefined : rules.placements.get(item.masterSkuId);
    if (!placedIn) return null;
    return rules.warehouseIds.find((warehouseId) => placedIn.has(warehouseId)) ?? null;
  });
  const used = new Set(itemWarehouseIds.filter((id): id is string => id !== null));
  const warehouseIds = [...new Set(rules.warehouseIds)].filter((id) => used.has(id));
  return { itemWarehouseIds, warehouseIds, mixedWarehouses: warehouseIds.length > 1 };
}

/** Builds the placement lookup from (warehouse, Master SKU) pairs, e.g. WarehouseProduct rows. */
export function placementsOf(
  rows: Iterable<{ warehouseId: string; masterSkuId: string }>,
): Map<string, Set<string>> {
  const placements = new Map<string, Set<string>>();
  for (const { warehouseId, masterSkuId } of rows) {
    let warehouses = placements.get(masterSkuId);
    if (!warehouses) placements.set(masterSkuId, (warehouses = new Set()));
    warehouses.add(warehouseId);
  }
  return placements;
}
