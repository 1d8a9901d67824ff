import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const logSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
});
