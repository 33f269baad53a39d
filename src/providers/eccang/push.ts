// ECCANG push ("Subscribe News", PROVIDERS.md "Push"): reads a callback POST into a PushMessage,
// and answers the `GET ?random=N` check that messageSubscript makes first.
import { z } from 'zod';
import type { PushMessage, PushParseResult } from '../types.ts';
import { firstIssue } from '../wire-issue.ts';

const codeError = (issue: { input?: unknown }) => (issue.input === undefined ? 'missing' : 'expected a non-empty string or number');
/** A code or id; PHP hosts may send numbers. */
const code = z
  .union([z.string(), z.number().transform(String)], { error: codeError })
  .pipe(z.string().trim().min(1, { error: codeError }));

// The body is unsourced: this is what our simulator sends, `{app_key, msg_id, subscript_type, body}`.
const envelope = z.object({
  app_key: code,
  msg_id: code,
  subscript_type: z.string(),
  body: z.record(z.string(), z.unknown()),
});

const subjects: Record<string, z.ZodType<PushMessage['subject']>> = {
  order: z.object({ order_code: code }).transform(({ order_code }) => ({ kind: 'OUTBOUND' as const, providerRef: order_code })),
  receiving: z.object({ receiving_code: code }).transform(({ receiving_code }) => ({ kind: 'INBOUND' as const, providerRef: receiving_code })),
  stock: z
    .object({ product_sku: code, warehouse_code: code.nullish() })
    .transform(({ product_sku, warehouse_code }) => ({ kind: 'STOCK' as const, sku: product_sku, warehouseCode: warehouse_code ?? null })),
};

export type EccangPushMessage = PushMessage & { appKey: string };

/** Reads a push POST body (already JSON-parsed). Refuses malformed bodies and unknown subscript_types. */
export function parseEccangPush(body: unknown): PushParseResult<EccangPushMessage> {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error) };
  const { app_key, msg_id, subscript_type } = parsed.data;
  const schema = Object.hasOwn(subjects, subscript_type) ? subjects[subscript_type] : undefined;
  if (!schema) return { ok: false, reason: `unknown subscript_type ${JSON.stringify(subscript_type)}` };
  const subject = schema.safeParse(parsed.data.body);
  if (!subject.success) return { ok: false, reason: firstIssue(subject.error, 'body') };
  return { ok: true, message: { messageId: msg_id, subject: subject.data, topic: subscript_type, appKey: app_key } };
}

/** The answer to the callback check `GET {callback}?random=N`: exactly `{"random":"N"}`. */
export function eccangCallbackEcho(random: string): string {
  return JSON.stringify({ random });
}
