import type { CycleStore } from '@stagecraft/engine';
import type { NotificationJob } from '@stagecraft/queue';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { exclusionComment } from './exclusion-comment.js';
import type { ExcludedLabelMarks } from './excluded-label-marks.js';
import { upsertMarkedComment } from './upsert-marked-comment.js';

/** The label a PR a bisection excluded carries on GitHub (not a skip label: it keeps nothing out by itself). */
export const EXCLUDED_LABEL = 'stagecraft: excluded';

/**
 * Tells a PR a bisection found that it breaks staging, in its own repository: one comment per
 * excluded head (found again by its marker, so a retried job does not post twice) and the label.
 * The label is marked in Redis first, so the cycle publisher can take it off once a cycle started
 * after `excludedAt` (the verdict) takes the PR in again.
 */
export async function postExclusion(
  github: RepositoryClientSource,
  cycles: Pick<CycleStore, 'get'>,
  job: Extract<NotificationJob, { type: 'exclusion' }>,
  opts: { botName: string; marks: Pick<ExcludedLabelMarks, 'set'>; excludedAt: number },
): Promise<void> {
  const { name } = configuredRepository(github, job.repo);
  const client = await github.clientFor(name, job.installationId);
  const repo = repositoryCoordinates(name);
  const origin = await cycles.get(job.originCycleId);
  const body = exclusionComment({ ...job, repo: name }, origin, { botName: opts.botName, severalRepositories: github.repositories.length > 1 });
  await upsertMarkedComment(client, repo, { issue: job.pr, marker: `<!-- stagecraft:exclusion:${job.sha} -->`, body, knownId: null });
  await opts.marks.set(name, job.pr, { sha: job.sha, origin: job.originCycleId, stage: job.stage, at: opts.excludedAt });
  await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...repo, issue_number: job.pr, labels: [EXCLUDED_LABEL] });
}
