/** What one configured repository has on an environment: its main, the staging SHA made of it, its PRs. */
export interface RepositoryRun {
  repository: string;
  mainSha: string | null;
  stagingSha: string | null;
  prs: Array<{ number: number; sha: string }>;
}

/**
 * The cycle an environment runs now (the newest whose deploy succeeded), per configured repository,
 * as GET /api/environments lists it: the dashboard writes it, `stagecraft status` reads it.
 */
export interface DeployedRuns {
  cycle: string;
  /** When that cycle finished; null while it still runs (its deploy has succeeded). */
  finishedAt: number | null;
  repositories: RepositoryRun[];
}
