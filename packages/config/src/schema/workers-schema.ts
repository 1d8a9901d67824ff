import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

export const workersSchema = z.strictObject({
  concurrency: z.number().int().min(1).default(1),
  lockDuration: durationSchema({ positive: true }).prefault('30s'),
  stalledInterval: durationSchema({ positive: true }).prefault('30s'),
  maxStalledCount: z.number().int().min(0).default(2),
  shutdownGrace: durationSchema().prefault('30s'),
});
