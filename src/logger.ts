// Structured JSON logs (pino). Secrets are redacted by path as a second line of defence.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.appToken',
  '*.appKey',
  '*.appSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.password',
  'credentials',
  '*.credentials',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'fulfillment-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
