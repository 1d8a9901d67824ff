import { createHash } from 'node:crypto';
import { pullRequestKey } from '@stagecraft/policy';
import type { NotificationJob } from './notification-job.js';

export type WaitingNotification = Extract<NotificationJob, { type: 'waiting' }>;

/**
 * Tells a PR that its head waits for its required checks, or that one failed. Keyed by the head
 * and the reason (hashed: a job id may not hold `:`), so a replayed event or outbox enqueues it once.
 */
export function waitingNotification(
  pr: { repo: string; number: number; sha: string },
  verdict: { reason: string; checks: WaitingNotification['checks'] },
  at: number,
  installationId: number | null,
): WaitingNotification {
  const reason = createHash('sha1').update(verdict.reason).digest('hex').slice(0, 12);
  return {
    type: 'waiting',
    key: `waiting.${pullRequestKey(pr.repo, pr.number)}@${pr.sha}.${reason}`,
    repo: pr.repo,
    installationId,
    pr: pr.number,
    sha: pr.sha,
    reason: verdict.reason,
    checks: verdict.checks,
    at,
  };
}
