import type { StagingCandidate } from '@stagecraft/policy';

/** What Stagecraft keeps of an open PR: what isReadyForStaging needs to know of it. */
export type PullRequestHead = StagingCandidate;

/** A PR at one head, in its repository (`owner/name` as configured). */
export interface PrHead {
  repo: string;
  number: number;
  sha: string;
}

/**
 * Each repository's main head and the ready PRs' heads: what a cycle composes, and what the idle
 * check compares. `mains` is keyed by the configured repository name; null = not known yet.
 */
export interface HeadsSnapshot {
  mains: Record<string, string | null>;
  prs: PrHead[];
}

/** A PR every rule lets into staging but its required checks: what it waits for, or which failed. */
export interface WaitingPr extends PrHead {
  /** "waiting for checks: ci/build, lint" or "checks failed: ci/build". */
  reason: string;
}

/** What a cycle composes (HeadsSnapshot), and the PRs held back only by their checks (its report says so). */
export interface ReadySnapshot extends HeadsSnapshot {
  waiting: WaitingPr[];
}
