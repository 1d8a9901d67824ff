import { checksReason, type ChecksVerdict } from './checks-verdict.js';

/** A PR as both the scheduler's records and GitHub's PR list know it. */
export interface StagingCandidate {
  /** The repository (`owner/name`) the PR is in. */
  repo: string;
  number: number;
  /** The head commit. */
  sha: string;
  author: string;
  baseRef: string;
  draft: boolean;
  labels: readonly string[];
  /** ISO time of the PR's last update; null when unknown (it then counts as fresh). */
  updatedAt: string | null;
  /** The components this head's changed files touch, when they were looked up ('all': unknown paths). */
  touches?: string[] | 'all';
}

/** Which PRs of one repository staging takes (its `compose` rules and main branch) and what is known about them. */
export interface StagingRules {
  mainBranch: string;
  /** A PR with this label stays out. */
  skipLabel: string;
  /** A PR not updated for this long stays out. */
  maxAgeMs: number;
  now: number;
  /** The author is trusted (a maintainer or a trusted login, team or org member). */
  trustedAuthor: (login: string) => boolean;
  /** The head SHA a maintainer's deploy approved for this PR, if any. */
  approvedSha: (pr: StagingCandidate) => string | null | undefined;
  /** Someone commented `@<bot> skip` and no maintainer has deployed it since. */
  skippedByCommand: (pr: StagingCandidate) => boolean;
  /** A bisection found that this PR broke a cycle: at that head (`sha`) it stays out, for `reason`. */
  excluded?: (pr: StagingCandidate) => { sha: string; reason: string } | null | undefined;
  /**
   * How the head's required checks (`compose.requireChecks`) stand; undefined when none are
   * required. Pending or missing ones keep the PR waiting, a failed one keeps it out.
   */
  checks?: (pr: StagingCandidate) => ChecksVerdict | undefined;
}

/** The rule that keeps a PR out of staging: `checks` is the one a PR otherwise ready waits on. */
export type StagingRule = 'draft' | 'base' | 'label' | 'age' | 'skip' | 'excluded' | 'trust' | 'checks';

/** Which rule keeps a PR out of staging and why, or null when it goes in. The checks come last: only a PR every other rule lets in waits for them. */
export function stagingVerdict(pr: StagingCandidate, rules: StagingRules): { rule: StagingRule; reason: string } | null {
  if (pr.draft) return { rule: 'draft', reason: 'draft' };
  if (pr.baseRef !== rules.mainBranch) return { rule: 'base', reason: `targets ${pr.baseRef}, not ${rules.mainBranch}` };
  if (pr.labels.includes(rules.skipLabel)) return { rule: 'label', reason: `labelled ${rules.skipLabel}` };
  if (pr.updatedAt !== null && rules.now - Date.parse(pr.updatedAt) > rules.maxAgeMs) return { rule: 'age', reason: 'not updated within maxAge' };
  if (rules.skippedByCommand(pr)) return { rule: 'skip', reason: 'skipped with the skip command' };
  const exclusion = rules.excluded?.(pr);
  if (exclusion && exclusion.sha === pr.sha) return { rule: 'excluded', reason: `excluded: ${exclusion.reason}` };
  if (!rules.trustedAuthor(pr.author) && rules.approvedSha(pr) !== pr.sha) return { rule: 'trust', reason: 'author not trusted and this head not approved' };
  const checks = rules.checks?.(pr);
  const waiting = checks ? checksReason(checks) : null;
  if (waiting !== null) return { rule: 'checks', reason: waiting };
  return null;
}

/** Why a PR stays out of staging, or null when it goes in. */
export function whyNotReady(pr: StagingCandidate, rules: StagingRules): string | null {
  return stagingVerdict(pr, rules)?.reason ?? null;
}

/**
 * A PR goes into staging when it is not a draft, targets main, has no skip label, was updated
 * within maxAge, was not skipped by command, its author is trusted or its head SHA approved, and
 * the checks its repository requires passed on its head.
 */
export function isReadyForStaging(pr: StagingCandidate, rules: StagingRules): boolean {
  return whyNotReady(pr, rules) === null;
}
