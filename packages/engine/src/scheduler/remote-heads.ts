import type { PullRequestHead } from '../store/pull-request-head.js';

/**
 * Where the idle check reads main's head and the open PRs as GitHub has them now, so a head whose
 * webhook never arrived is found all the same.
 */
export interface RemoteHeads {
  /** Every configured repository's main head (keyed by its configured name) and open PRs (each with its `repo`). */
  read(): Promise<{ mains: Record<string, string | null>; prs: PullRequestHead[] }>;
}
