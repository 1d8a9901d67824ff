import type { OpenPullRequest } from './list-open-pull-requests.js';

export interface ReadinessRules {
  mainBranch: string;
  /** A PR not updated for this long is left out. */
  maxAgeMs: number;
  skipLabel: string;
  now: number;
  /** Trusted author, or this head approved by a maintainer, and not excluded by a bisection. */
  isAllowed: (pr: OpenPullRequest) => boolean;
}

export interface ReadinessVerdict {
  ready: OpenPullRequest[];
  left: Array<{ pr: OpenPullRequest; reason: string }>;
}

/** Which open PRs go into staging, oldest first (the order they are merged in), and why the others do not. */
export function selectReadyPullRequests(pulls: OpenPullRequest[], rules: ReadinessRules): ReadinessVerdict {
  const verdict: ReadinessVerdict = { ready: [], left: [] };
  for (const pr of [...pulls].sort((a, b) => a.number - b.number)) {
    const reason =
      pr.draft ? 'draft'
      : pr.baseRef !== rules.mainBranch ? `targets ${pr.baseRef}, not ${rules.mainBranch}`
      : pr.labels.includes(rules.skipLabel) ? `labelled ${rules.skipLabel}`
      : rules.now - Date.parse(pr.updatedAt) > rules.maxAgeMs ? 'not updated within maxAge'
      : !rules.isAllowed(pr) ? 'author not trusted and this head not approved'
      : null;
    if (reason) verdict.left.push({ pr, reason });
    else verdict.ready.push(pr);
  }
  return verdict;
}
