/** Where the scheduler learns which files a PR touches; null = unknown, so every component counts. */
export interface ChangedPaths {
  ofPullRequest(pr: number, installationId: number | null): Promise<string[] | null>;
}
