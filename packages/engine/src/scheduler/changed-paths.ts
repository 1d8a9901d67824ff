/** Where the scheduler learns which files a change touches; null = unknown, so every component counts. */
export interface ChangedPaths {
  ofPullRequest(pr: number, installationId: number | null): Promise<string[] | null>;
  /** What changed on main between two commits (e.g. the last deployed main and the new head). */
  ofMain(base: string, head: string, installationId: number | null): Promise<string[] | null>;
}
