import type { NotificationJob } from './notification-job.js';

/**
 * A request to bring a cycle's check runs, comments and deployments up to date. Keyed by the step
 * that caused it, so a replayed step asks once; the notifier renders from the record, so an old
 * request handled late still publishes the latest state.
 */
export function cycleNotification(cycleId: string, step: string): NotificationJob {
  return { type: 'cycle', key: `cycle.${cycleId}.${step}`, installationId: null, cycleId };
}
