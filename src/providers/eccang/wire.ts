// The JSON inside ECCANG's `<response>` element, as zod shapes (PROVIDERS.md "Services").
// ECCANG hosts are PHP: numbers often arrive as strings and empty objects as [], so the
// shapes accept both and normalise.
import { z } from 'zod';

/** A number that may come as a numeric string. */
export const wireNumber = z.union([
  z.number(),
  z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number),
]);

/** A string that may come as a number (codes, statuses). */
export const wireString = z.union([z.string(), z.number().transform(String)]);

const optionalString = z.union([wireString, z.null()]).optional();

/** `nextPage`: boolean or "true"/"false" (and 1/0 from some hosts). */
export const wireBoolean = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  z.literal(1).transform(() => true),
  z.literal(0).transform(() => false),
]);

export const wireError = z.union([
  z.object({ errMessage: optionalString, errCode: optionalString }),
  z.array(z.unknown()),
  z.null(),
]);

/** The common envelope of every answer. */
export const callServiceAnswer = z.looseObject({
  ask: z.string(),
  message: optionalString,
  Error: wireError.optional(),
  data: z.unknown().optional(),
  count: wireNumber.nullish(),
  nextPage: wireBoolean.nullish(),
  pagination: z.union([z.object({ pageSize: wireNumber.nullish(), page: wireNumber.nullish() }), z.array(z.unknown()), z.null()]).optional(),
  order_code: optionalString,
  receiving_code: optionalString,
  cancel_status: wireNumber.nullish(),
});
export type CallServiceAnswer = z.infer<typeof callServiceAnswer>;

/** A list in `data`; PHP sends an empty list (or nothing) as [] / {} / null. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), z.null(), z.undefined(), z.object({}).strict().transform(() => [])]).transform((v) => (v ?? []) as z.infer<T>[]);

export const warehouseRow = z.looseObject({
  warehouse_code: wireString,
  warehouse_name: optionalString,
  country_code: optionalString,
});

export const productRow = z.looseObject({
  product_sku: wireString,
  product_title: optionalString,
  product_barcode: optionalString,
});

export const asnRow = z.looseObject({
  receiving_code: wireString,
  reference_no: optionalString,
  receiving_status: wireString,
  warehouse_code: optionalString,
  items: listOf(
    z.looseObject({
      product_sku: wireString,
      quantity: wireNumber,
      received_quantity: wireNumber.nullish(),
      putaway_quantity: wireNumber.nullish(),
    }),
  ).optional(),
});
export type AsnRow = z.infer<typeof asnRow>;

export const orderRow = z.looseObject({
  order_code: wireString,
  reference_no: optionalString,
  order_status: wireString,
  tracking_no: optionalString,
  warehouse_code: optionalString,
  date_shipping: optionalString,
  date_modify: optionalString,
  abnormal_problem_reason: optionalString,
  items: z.unknown().optional(),
});
export type OrderRow = z.infer<typeof orderRow>;

export const inventoryRow = z.looseObject({
  product_sku: wireString,
  warehouse_code: optionalString,
  sellable: wireNumber,
  reserved: wireNumber.nullish(),
  onway: wireNumber.nullish(),
  pending: wireNumber.nullish(),
  unsellable: wireNumber.nullish(),
  shipped: wireNumber.nullish(),
});

/** getOrderByRefCode / getOrderByCode: `data` is one order (some hosts wrap it in a list). */
export const singleOrder = z.union([orderRow, z.array(orderRow).transform((rows) => rows[0] ?? null), z.null(), z.undefined()]);

// ---- requests (what we send), typed so the simulator and the client agree ----

export interface CreateProductParams {
  product_sku: string;
  product_title: string;
  product_weight: number;
  product_length: number;
  product_width: number;
  product_height: number;
  product_declared_value: number;
  product_declared_name: string;
  verify: 0 | 1;
}

export interface CreateAsnParams {
  reference_no: string;
  warehouse_code: string;
  income_type: number;
  tracking_number?: string;
  eta_date?: string;
  verify: 0 | 1;
  items: { product_sku: string; quantity: number; box_no: number }[];
}

export interface CreateOrderParams {
  reference_no: string;
  shipping_method: string;
  warehouse_code: string;
  country_code: string;
  province?: string;
  city?: string;
  address1: string;
  zipcode: string;
  name: string;
  phone: string;
  platform: string;
  tracking_no: string;
  verify: 0 | 1;
  items: { product_sku: string; quantity: number }[];
}

/** Request params as the simulator reads them: loose, since a real server is lenient too. */
export const anyParams = z.record(z.string(), z.unknown());
