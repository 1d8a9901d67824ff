import { z } from 'zod';
import { STAGE_NAMES } from './stage-names.js';

export const stageStatusSchema = z.enum(['succeeded', 'failed', 'skipped', 'cancelled']);
export type StageStatus = z.infer<typeof stageStatusSchema>;

export const stageResultSchema = z.object({
  stage: z.enum(STAGE_NAMES),
  status: stageStatusSchema,
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  summary: z.string(),
  attempt: z.number().int(),
  /** Executor-specific output the notifier and dashboard show (test counts, rolled-back images…). */
  details: z.record(z.string(), z.unknown()).nullable(),
  outputTail: z.array(z.string()),
});
export type StageResult = z.infer<typeof stageResultSchema>;
