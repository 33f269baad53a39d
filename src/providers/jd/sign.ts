// JOS request signing and timestamps: MD5 over secret + sorted key/value pairs + secret, UTC+8 clock.
import { createHash } from 'node:crypto';

/**
 * `sign` = uppercase hex MD5 of `secret + concat(sorted key+value for every param but sign) + secret`
 * (PROVIDERS.md, confirmed). Keys sort by UTF-16 code unit, as JOS's own SDKs sort them.
 */
export function jdSign(params: Readonly<Record<string, string>>, secret: string): string {
  const concatenated = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  return md5Upper(`${secret}${concatenated}${secret}`);
}

/**
 * Push messages are unsourced: the simulator signs them with the same scheme over the raw body,
 * `MD5(secret + body + secret)`, sent in the `x-jd-sign` header.
 */
export const JD_PUSH_SIGN_HEADER = 'x-jd-sign';

export function jdPushSign(rawBody: string, secret: string): string {
  return md5Upper(`${secret}${rawBody}${secret}`);
}

export function verifyJdPushSign(rawBody: string, sign: string | null | undefined, secret: string): boolean {
  if (!sign) return false;
  const expected = jdPushSign(rawBody, secret);
  return sign.length === expected.length && sign.toUpperCase() === expected;
}

const UTC8_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `yyyy-MM-dd HH:mm:ss` in UTC+8 (China has no daylight saving time). */
export function jdTimestamp(at: Date): string {
  const shifted = new Date(at.getTime() + UTC8_OFFSET_MS);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`
  );
}

/** Reads a JOS timestamp back; null when it is not `yyyy-MM-dd HH:mm:ss`. */
export function parseJdTimestamp(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return null;
  const parsed = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}
