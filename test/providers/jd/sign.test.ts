// JOS signing and UTC+8 timestamps, checked against values derived by hand from PROVIDERS.md.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jdPushSign, jdSign, jdTimestamp, parseJdTimestamp, verifyJdPushSign } from '../../../src/providers/jd/sign.ts';

describe('jdSign', () => {
  const params = {
    method: 'jingdong.eclp.master.queryWarehouse',
    app_key: 'APPKEY',
    access_token: 'TOKEN',
    timestamp: '2026-01-02 11:04:05',
    v: '2.0',
    format: 'json',
    '360buy_param_json': '{"deptNo":"EBU0000000001"}',
  };
  // Sorted keys: 360buy_param_json, access_token, app_key, format, method, timestamp, v.
  const signedText =
    'SECRET' +
    '360buy_param_json{"deptNo":"EBU0000000001"}' +
    'access_tokenTOKEN' +
    'app_keyAPPKEY' +
    'formatjson' +
    'methodjingdong.eclp.master.queryWarehouse' +
    'timestamp2026-01-02 11:04:05' +
    'v2.0' +
    'SECRET';
  const expectedSign = '53D5246CCCB5039657763A5F83B1B072';

  it('is the uppercase MD5 of secret + sorted key/values + secret', () => {
    // given the fixed params above / when signed / then the literal
    expect(jdSign(params, 'SECRET')).toBe(expectedSign);
    // cross-check of the literal itself
    expect(createHash('md5').update(signedText).digest('hex').toUpperCase()).toBe(expectedSign);
  });

  it('ignores an existing sign param and the insertion order', () => {
    const reordered = Object.fromEntries(Object.entries({ ...params, sign: 'WHATEVER' }).reverse());

    expect(jdSign(reordered, 'SECRET')).toBe(expectedSign);
  });

  it('changes with the secret', () => {
    expect(jdSign(params, 'OTHER')).not.toBe(expectedSign);
  });
});

describe('jdTimestamp', () => {
  it('formats in UTC+8', () => {
    expect(jdTimestamp(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02 11:04:05');
  });

  it('rolls over the date (and year) at 16:00 UTC', () => {
    expect(jdTimestamp(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01 00:00:00');
  });

  it('reads back to the same instant; rejects other shapes', () => {
    const at = new Date('2026-03-04T05:06:07Z');

    expect(parseJdTimestamp(jdTimestamp(at))?.toISOString()).toBe(at.toISOString());
    expect(parseJdTimestamp('2026-03-04T05:06:07Z')).toBeNull();
  });
});

describe('push sign', () => {
  it('is MD5(secret + body + secret), verified case-insensitively', () => {
    const body = '{"msgId":"1"}';
    const expected = createHash('md5').update(`S${body}S`).digest('hex').toUpperCase();

    expect(jdPushSign(body, 'S')).toBe(expected);
    expect(verifyJdPushSign(body, expected.toLowerCase(), 'S')).toBe(true);
    expect(verifyJdPushSign(`${body} `, expected, 'S')).toBe(false);
    expect(verifyJdPushSign(body, null, 'S')).toBe(false);
  });
});
