import type { PullRequestHead } from '../store/pull-request-head.js';

/**
 * Where the idle check reads main's head and the open PRs as GitHub has them now, so a head whose
 * webhook never arrived is found all the same.
 */
export interface RemoteHeads {
  read(): Promise<{ main: string | null; prs: PullRequestHead[] }>;
}
