// JOS/ECLP response shapes (zod): the envelope, each method's result, OAuth tokens.
import { z } from 'zod';

/** JOS sends codes and numbers as strings or numbers depending on the method: accept both. */
const text = z.union([z.string(), z.number()]).transform(String);
const count = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

export const jdErrorResponseSchema = z.object({
  error_response: z.object({
    code: text,
    zh_desc: z.string().optional(),
    en_desc: z.string().optional(),
  }),
});
export type JdErrorResponse = z.infer<typeof jdErrorResponseSchema>['error_response'];

/** The key JOS wraps a method's result in: dots as underscores, then `_responce` (JD's spelling). */
export function jdResponseKeys(method: string): [string, string] {
  const base = method.replaceAll('.', '_');
  return [`${base}_responce`, `${base}_response`];
}

export const queryWarehouseResultSchema = z.object({
  querywarehouse_result: z.array(z.object({ warehouseNo: text, warehouseName: z.string() })),
});

export const transportGoodsInfoResultSchema = z.object({ goodsNo: text });

export const addPoOrderResultSchema = z.object({ poOrderNo: text });

export const queryPoOrderResultSchema = z.object({
  queryPoModelList: z.array(
    z.object({
      /** Not in the confirmed field list; the simulator sends it and we use it when present. */
      poOrderNo: text.optional(),
      isvPoOrderNo: text,
      poOrderStatus: text,
      poItemModelList: z.array(
        z.object({
          goodsNo: text,
          /** Unsourced extras: our SKU and the applied quantity, when the answer carries them. */
          isvGoodsNo: text.optional(),
          numApplication: count.optional(),
          realInstoreQty: count,
        }),
      ),
    }),
  ),
});

/** Unsourced for cancalPoOrder: the simulator answers like cancelOrder. */
export const cancelResultSchema = z.object({ code: text, msg: z.string().optional() });
export const cancelPoOrderResultSchema = z.object({ cancalpoorder_result: cancelResultSchema });
export const cancelOrderResultSchema = z.object({ cancelorder_result: cancelResultSchema });

export const addOrderResultSchema = z.object({ eclpSoNo: text });

const orderStatusSchema = z.object({
  /** Unsourced extras the simulator sends: our reference and the carrier waybill. */
  eclpSoNo: text.optional(),
  isvUUID: text.optional(),
  wayBill: text.optional(),
  orderStatusList: z.array(z.object({ soStatusCode: text, soStatusName: z.string().optional(), operateTime: z.string() })),
});

/** PROVIDERS.md shows the fields directly; JOS often wraps them in `queryorderstatus_result`: accept both. */
export const queryOrderStatusResultSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && 'queryorderstatus_result' in value
      ? (value as { queryorderstatus_result: unknown }).queryorderstatus_result
      : value,
  orderStatusSchema,
);

export const queryStockResultSchema = z.object({
  querystock_result: z.array(
    z.object({ goodsNo: text, isvGoodsNo: text.optional(), totalNum: count, usableNum: count }),
  ),
});

export const jdTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: count,
  refresh_token: z.string().min(1),
  scope: z.string().optional(),
  open_id: text.optional(),
});
