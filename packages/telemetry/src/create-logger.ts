import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Paths whose values never reach a log line, wherever they sit in a logged object. */
export const REDACTED_PATHS = [
  'token',
  'secret',
  'password',
  'privateKey',
  'webhookSecret',
  'authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.privateKey',
  '*.webhookSecret',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'headers["x-hub-signature-256"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-hub-signature-256"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
];

export function createLogger(opts: { app: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { app: opts.app },
      redact: { paths: REDACTED_PATHS, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
