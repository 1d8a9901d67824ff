/** Where the scheduler learns which files a change touches; null = unknown, so every component counts. */
export interface ChangedPaths {
  ofPullRequest(repo: string, pr: number, installationId: number | null): Promise<string[] | null>;
  /** What changed on a repository's main between two commits (e.g. the last deployed main and the new head). */
  ofMain(repo: string, base: string, head: string, installationId: number | null): Promise<string[] | null>;
}
