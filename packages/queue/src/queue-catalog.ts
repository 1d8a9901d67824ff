import { z } from 'zod';
import type { DefaultJobOptions } from 'bullmq';
import { normalizedEventSchema } from './normalized-event.js';
import { stageJobSchema } from './stage-job.js';
import { notificationJobSchema } from './notification-job.js';

const day = 24 * 3600;
/** Log lines kept per job (stage jobs log every line their command prints); older lines are dropped. */
export const JOB_LOG_LINES = 2000;

/**
 * Queue name → payload schema + default job options. Payloads are validated on enqueue and on pickup.
 * Every queue's jobs are removed once finished, by age or count, and keep at most JOB_LOG_LINES log
 * lines, so no queue grows without bound (docs/redis-keys.md).
 */
export const queueCatalog = {
  events: {
    schema: normalizedEventSchema,
    // Completed events are kept a day so a redelivered X-GitHub-Delivery is recognised and ignored.
    defaults: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 200 },
      removeOnComplete: { age: day },
      removeOnFail: { age: 7 * day },
      keepLogs: JOB_LOG_LINES,
    },
  },
  timers: {
    schema: z.object({ env: z.string(), cycleId: z.string() }),
    defaults: { attempts: 10, backoff: { type: 'exponential', delay: 200 }, removeOnComplete: true, removeOnFail: { age: 7 * day }, keepLogs: JOB_LOG_LINES },
  },
  /** A promotion request's delayed check: it expires, or its deny window ended and it deploys. */
  promotions: {
    schema: z.object({ requestId: z.string() }),
    defaults: { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: { age: 7 * day }, keepLogs: JOB_LOG_LINES },
  },
  'idle-check': {
    schema: z.object({}),
    defaults: { attempts: 3, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 }, keepLogs: JOB_LOG_LINES },
  },
  cycles: {
    schema: z.object({ env: z.string(), cycleId: z.string() }),
    defaults: { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 30 * day }, removeOnFail: { age: 30 * day }, keepLogs: JOB_LOG_LINES },
  },
  notifications: {
    schema: notificationJobSchema,
    defaults: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: day }, removeOnFail: { age: 7 * day }, keepLogs: JOB_LOG_LINES },
  },
  'stage-compose': { schema: stageJobSchema, defaults: stageDefaults() },
  'stage-build': { schema: stageJobSchema, defaults: stageDefaults() },
  'stage-drain': { schema: stageJobSchema, defaults: stageDefaults() },
  'stage-deploy': { schema: stageJobSchema, defaults: stageDefaults() },
  'stage-test-kernel': { schema: stageJobSchema, defaults: stageDefaults() },
} satisfies Record<string, { schema: z.ZodType; defaults: DefaultJobOptions }>;

// A stage's own failure is a result, not a thrown error, so BullMQ attempts only cover crashes
// and infrastructure errors; continueParentOnFailure lets the cycle record a stage that gave up.
function stageDefaults(): DefaultJobOptions {
  return {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 30 * day },
    removeOnFail: { age: 30 * day },
    keepLogs: JOB_LOG_LINES,
  };
}

export type QueueName = keyof typeof queueCatalog;
export type QueuePayload<N extends QueueName> = z.infer<(typeof queueCatalog)[N]['schema']>;
export const QUEUE_NAMES = Object.keys(queueCatalog) as QueueName[];
