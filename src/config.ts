// Environment configuration, validated once at start-up; the only reader of process.env.
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const ECHOED_VARIABLES = new Set(['NODE_ENV', 'PORT', 'HOST', 'LOG_LEVEL', 'PROVIDER_MODE', 'SHUTDOWN_TIMEOUT_MS', 'PROVIDER_TIMEOUT_MS', 'SIMULATOR_PORT']);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// or postgres:// URL' })
  .optional();

const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
    .default('development'),
  PORT: z.coerce
    .number({ error: 'must be a port number (0-65535)' })
    .int('must be a port number (0-65535)')
    .min(0, 'must be a port number (0-65535)')
    .max(65535, 'must be a port number (0-65535)')
    .default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded database (PGlite) and generated secrets live. */
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  /** 32 bytes as 64 hex characters or base64; encrypts provider credentials at rest. */
  SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => decodeSecretKey(value) !== null, {
        message: 'must be 32 bytes, as 64 hex characters or base64',
      })
      .optional(),
  ),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PROVIDER_MODE: z
    .enum(['simulator', 'live'], { error: 'must be simulator or live' })
    .optional(),
  /** Public URL of this gateway, for webhook callbacks and the JD OAuth redirect. */
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Comma-separated hosts an ECCANG base URL may name (".example.com" matches subdomains). */
  ECCANG_ALLOWED_HOSTS: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** JD JOS endpoints (live mode); in simulator mode the in-process simulator's URLs are used. */
  JD_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.jd.com/routerjson'),
  JD_OAUTH_URL: z.url({ protocol: /^https?$/ }).default('https://open-oauth.jd.com'),
  /** The platform's own JD app, used by QUICK bindings (merchants with BASIC bring their own). */
  JD_APP_KEY: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  JD_APP_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** Simulator mode: ECCANG listens here and JD on the next port (0: any free ports). */
  SIMULATOR_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65534).default(4100),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  DEMO_OWNER_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  DEMO_SUPPORT_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  DEMO_SERVICE_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export type Config = Omit<z.infer<typeof configSchema>, 'PROVIDER_MODE'> & {
  /** simulator (default outside production): providers run in-process; live: real endpoints. */
  PROVIDER_MODE: 'simulator' | 'live';
  /** Absolute DATA_DIR. */
  dataDir: string;
  isProduction: boolean;
};

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export function decodeSecretKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** Parses the environment; throws one ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const received = env[variable];
    // URLs and keys may carry credentials: only plain settings are echoed back.
    const shown = received !== undefined && ECHOED_VARIABLES.has(variable) ? ` (got "${received}")` : '';
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const config = result.data;
  const isProduction = config.NODE_ENV === 'production';
  if (isProduction && !config.SECRET_KEY) {
    throw new ConfigError('SECRET_KEY', 'is required when NODE_ENV is production');
  }
  for (const variable of ['DEMO_OWNER_TOKEN', 'DEMO_SUPPORT_TOKEN', 'DEMO_SERVICE_TOKEN'] as const) {
    if (isProduction && config[variable]) throw new ConfigError(variable, 'must not be set when NODE_ENV is production');
  }
  if (Boolean(config.JD_APP_KEY) !== Boolean(config.JD_APP_SECRET)) {
    throw new ConfigError(config.JD_APP_KEY ? 'JD_APP_SECRET' : 'JD_APP_KEY', 'must be set together with the other JD_APP_ variable');
  }
  if (isProduction && config.PROVIDER_MODE === 'simulator') {
    throw new ConfigError('PROVIDER_MODE', 'must be live when NODE_ENV is production');
  }
  return {
    ...config,
    PROVIDER_MODE: config.PROVIDER_MODE ?? (isProduction ? 'live' : 'simulator'),
    dataDir: path.resolve(config.DATA_DIR),
    isProduction,
  };
}
