// JD push (unsourced, PROVIDERS.md "Push"): reads the simulator-defined message into a
// PushMessage. The signature is checked separately with verifyJdPushSign (sign.ts), with the
// secret of the app named in the message.
import { z } from 'zod';
import type { PushMessage, PushParseResult } from '../types.ts';
import { firstIssue } from '../wire-issue.ts';

/** The topics the simulator sends (unsourced: a real subscription's names are passed to parseJdPush). */
export const JD_PUSH_TOPICS = { outbound: 'eclp_order_status', inbound: 'eclp_po_status' } as const;

export interface JdPushTopics {
  outbound: string;
  inbound: string;
}

const idError = (issue: { input?: unknown }) => (issue.input === undefined ? 'missing' : 'expected a non-empty string or number');
const id = z
  .union([z.string(), z.number().transform(String)], { error: idError })
  .pipe(z.string().trim().min(1, { error: idError }));

const envelope = z.object({
  topic: z.string(),
  msgId: id,
  appKey: id,
  deptNo: id,
  content: z.record(z.string(), z.unknown()),
});

const outboundSubject = z.object({ eclpSoNo: id }).transform(({ eclpSoNo }) => ({ kind: 'OUTBOUND' as const, providerRef: eclpSoNo }));
const inboundSubject = z.object({ poOrderNo: id }).transform(({ poOrderNo }) => ({ kind: 'INBOUND' as const, providerRef: poOrderNo }));

export type JdPushMessage = PushMessage & { appKey: string; deptNo: string };

/** Reads a push POST body as received (raw text, the same bytes the signature covers). */
export function parseJdPush(rawBody: string, topics: JdPushTopics = JD_PUSH_TOPICS): PushParseResult<JdPushMessage> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error) };
  const { topic, msgId, appKey, deptNo, content } = parsed.data;
  const schema = topic === topics.outbound ? outboundSubject : topic === topics.inbound ? inboundSubject : undefined;
  if (!schema) return { ok: false, reason: `unknown topic ${JSON.stringify(topic)}` };
  const subject = schema.safeParse(content);
  if (!subject.success) return { ok: false, reason: firstIssue(subject.error, 'content') };
  return { ok: true, message: { messageId: msgId, subject: subject.data, topic, appKey, deptNo } };
}
