import { z } from 'zod';
import { formatDuration } from '@stagecraft/policy';
import { durationSchema } from './duration-schema.js';

export const policySchema = z
  .strictObject({
    settle: durationSchema().prefault('5m'),
    settleMax: durationSchema().prefault('15m'),
    throttle: durationSchema().prefault('30m'),
    fullInterval: durationSchema({ positive: true }).prefault('6h'),
    idleCheck: durationSchema({ positive: true }).prefault('6h'),
    idleCheckEvery: durationSchema({ positive: true }).prefault('15m'),
    maxRestarts: z.number().int().min(0).default(1),
  })
  .superRefine((policy, ctx) => {
    if (policy.settleMax < policy.settle) {
      ctx.addIssue({
        code: 'custom',
        path: ['settleMax'],
        message: `must be at least settle (${formatDuration(policy.settle, { exact: true })}), got ${formatDuration(policy.settleMax, { exact: true })}: raise settleMax or lower settle`,
      });
    }
  });
