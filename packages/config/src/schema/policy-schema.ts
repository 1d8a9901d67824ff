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
    /** A failed build, deploy or test-kernel of a cycle with PRs runs again this often on the same SHA: a pass is a flake. 0: never. */
    rerunFailedStage: z.number().int().min(0).max(5).default(1),
    /** Bisect a failed cycle's PRs to find the one that broke it, and leave it out. */
    bisect: z.boolean().default(true),
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
