// Provider credentials at rest: AES-256-GCM with the SECRET_KEY (or, outside production, a key
// generated once into DATA_DIR), and masking for display. Plain credentials never leave here
// except to the provider client that needs them.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Config, decodeSecretKey } from './config.ts';

const FORMAT_VERSION = 'v1';
const KEY_FILE = 'secret-key';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url; `context` (e.g. the integration id) is bound as AAD. */
  seal(plain: unknown, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the box was tampered with, sealed under another key, or for another context. */
  open<T>(sealed: string, context: string): T {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== FORMAT_VERSION || !iv || !tag || ciphertext === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

/** The configured key; outside production, one generated on first start and kept in DATA_DIR. */
export async function loadSecretBox(config: Pick<Config, 'SECRET_KEY' | 'isProduction' | 'dataDir'>): Promise<SecretBox> {
  if (config.SECRET_KEY) return new SecretBox(decodeSecretKey(config.SECRET_KEY)!);
  if (config.isProduction) throw new Error('SECRET_KEY is required in production');
  const file = path.join(config.dataDir, KEY_FILE);
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing !== null) {
    const key = decodeSecretKey(existing.trim());
    if (!key) throw new Error(`${file} does not hold a 32-byte key`);
    return new SecretBox(key);
  }
  const key = randomBytes(32);
  await fs.mkdir(config.dataDir, { recursive: true });
  // `wx`: two instances starting together must not both write a different key.
  await fs.writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return new SecretBox(decodeSecretKey((await fs.readFile(file, 'utf8')).trim())!);
}

/** What a UI may show of a secret: its last four characters, e.g. ••••3f9a. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}
