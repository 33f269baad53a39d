import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretBox, maskSecret, SecretBox } from '../src/secrets.ts';

const credentials = { appToken: 'tok-1234567890', appKey: 'key-abcdef3f9a' };

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, and the sealed text reveals nothing of the secret', () => {
    const sealed = box.seal(credentials, 'integration-1');

    expect(box.open(sealed, 'integration-1')).toEqual(credentials);
    expect(sealed).not.toContain('tok-1234567890');
    expect(sealed).toMatch(/^v1\./);
    expect(box.seal(credentials, 'integration-1')).not.toBe(sealed);
  });

  it('refuses another context, another key and any tampering', () => {
    const sealed = box.seal(credentials, 'integration-1');
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;

    expect(() => box.open(sealed, 'integration-2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'integration-1')).toThrow();
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'integration-1')).toThrow();
    expect(() => box.open('plain text', 'integration-1')).toThrow('Not a sealed secret');
  });
});

describe('loadSecretBox', () => {
  it('uses SECRET_KEY when set', async () => {
    const key = randomBytes(32).toString('hex');
    const sealed = new SecretBox(Buffer.from(key, 'hex')).seal('x', 'c');

    const box = await loadSecretBox({ SECRET_KEY: key, isProduction: true, dataDir: '/nonexistent' });

    expect(box.open(sealed, 'c')).toBe('x');
  });

  it('outside production, generates a key once into DATA_DIR and keeps it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fg-secrets-'));
    try {
      const first = await loadSecretBox({ SECRET_KEY: undefined, isProduction: false, dataDir });
      const sealed = first.seal(credentials, 'i');
      const second = await loadSecretBox({ SECRET_KEY: undefined, isProduction: false, dataDir });

      expect(second.open(sealed, 'i')).toEqual(credentials);
      expect((await fs.stat(path.join(dataDir, 'secret-key'))).mode & 0o777).toBe(0o600);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to invent a key in production', async () => {
    await expect(loadSecretBox({ SECRET_KEY: undefined, isProduction: true, dataDir: '/tmp' })).rejects.toThrow('SECRET_KEY is required');
  });
});

it('masks all but the last four characters', () => {
  expect(maskSecret('key-abcdef3f9a')).toBe('••••3f9a');
  expect(maskSecret('short')).toBe('••••');
});
