import { pullRequestLabel } from '@stagecraft/policy';
import type { WaitingNotification } from '@stagecraft/queue';
import type { CheckRunState } from './upsert-check-run.js';

/** The check run on a head its required checks hold back: queued while they run, neutral once one failed. */
export function waitingRun(job: WaitingNotification, checkName: string, severalRepositories: boolean): CheckRunState {
  const label = pullRequestLabel(job.repo, job.pr, severalRepositories);
  const head = `\`${job.sha.slice(0, 7)}\``;
  const summary =
    job.checks === 'failed'
      ? `${label} (head ${head}) stays out of staging: ${job.reason}. It joins once they pass on this head (re-run them) or on a new push.`
      : `${label} (head ${head}) joins staging once its required checks pass: ${job.reason}.`;
  return {
    name: checkName,
    headSha: job.sha,
    // One run per head and state: a completed run is never reopened, so a failed head waiting again gets a new one.
    externalId: `waiting:${job.sha}:${job.checks}`,
    status: job.checks === 'failed' ? 'completed' : 'queued',
    ...(job.checks === 'failed' ? { conclusion: 'neutral' as const } : {}),
    output: { title: capitalized(job.reason), summary },
  };
}

/** The PR's Stagecraft comment while its head waits: what for, and what happens next. */
export function waitingComment(job: WaitingNotification, severalRepositories: boolean): string {
  const label = pullRequestLabel(job.repo, job.pr, severalRepositories);
  const head = `\`${job.sha.slice(0, 7)}\``;
  return job.checks === 'failed'
    ? `⛔ ${label} (head ${head}) is left out of staging: ${job.reason}. It joins once they pass, after a re-run or a new push; this comment is updated then.`
    : `⏳ ${label} (head ${head}) is not in staging yet: ${job.reason}. It joins as soon as they pass; this comment is updated then.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
