import type { CheckReport } from '@stagecraft/queue';

/**
 * Where the scheduler reads a commit's checks and a branch's required checks from GitHub (the App),
 * so a lost checks webhook does not keep a PR out, and `requireChecks: required` has its names.
 */
export interface CheckLookup {
  /** The latest check run of each name and the latest status of each context on the commit. */
  ofCommit(repo: string, sha: string, installationId: number | null): Promise<CheckReport[]>;
  /** The names branch protection requires on the repository's main branch; [] when it requires none. */
  requiredChecks(repo: string, installationId: number | null): Promise<string[]>;
}
