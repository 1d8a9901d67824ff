import type { PullRequestHead } from '../store/pull-request-head.js';

/** Asks GitHub about a PR the scheduler has not seen a webhook for (e.g. opened before Stagecraft was installed). */
export interface PullRequestLookup {
  head(repo: string, pr: number, installationId: number | null): Promise<PullRequestHead | null>;
}
