import type { CatalogQueue } from './catalog-queue.js';
import type { NotificationJob } from './notification-job.js';

/**
 * Queues a notification under its key, so one enqueued again while it is kept does nothing. A
 * waiting notice goes once done: a head whose checks go failed and back to pending (a re-run) is
 * told again, and a replay after it ran only finds what it posted already (the notifier compares).
 */
export async function enqueueNotification(queue: Pick<CatalogQueue<'notifications'>, 'add'>, job: NotificationJob): Promise<void> {
  await queue.add(job.type, job, { jobId: job.key, ...(job.type === 'waiting' ? { removeOnComplete: true } : {}) });
}
