import { whyNotReady, type StagingRules } from '@stagecraft/policy';
import type { OpenPullRequest } from './list-open-pull-requests.js';

export interface ReadinessVerdict {
  ready: OpenPullRequest[];
  left: Array<{ pr: OpenPullRequest; reason: string }>;
}

/**
 * Which open PRs of one repository (`owner/name` as configured) go into staging (whyNotReady),
 * oldest first (the order they are merged in), and why the others do not.
 */
export function selectReadyPullRequests(repo: string, pulls: OpenPullRequest[], rules: StagingRules): ReadinessVerdict {
  const verdict: ReadinessVerdict = { ready: [], left: [] };
  for (const pr of [...pulls].sort((a, b) => a.number - b.number)) {
    const reason = whyNotReady({ ...pr, repo, sha: pr.headSha }, rules);
    if (reason) verdict.left.push({ pr, reason });
    else verdict.ready.push(pr);
  }
  return verdict;
}
