import type { StagingCandidate } from '@stagecraft/policy';

/** What Stagecraft keeps of an open PR: what isReadyForStaging needs to know of it. */
export type PullRequestHead = StagingCandidate;

/** main's head and the ready PRs' heads: what a cycle composes, and what the idle check compares. */
export interface HeadsSnapshot {
  main: string | null;
  prs: Array<{ number: number; sha: string }>;
}
