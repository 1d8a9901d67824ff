import { listComparedFiles, listPullRequestFiles, type GitRequestClient, type PaginatingClient } from '@stagecraft/github';
import type { ChangedPaths } from './changed-paths.js';

/** A PR's files from the PR files API; main's from the compare API. */
export class GitHubChangedPaths implements ChangedPaths {
  constructor(
    private readonly client: (installationId: number | null) => Promise<PaginatingClient & GitRequestClient>,
    private readonly repo: { owner: string; repo: string },
  ) {}

  async ofPullRequest(pr: number, installationId: number | null): Promise<string[] | null> {
    return listPullRequestFiles(await this.client(installationId), this.repo, pr);
  }

  async ofMain(base: string, head: string, installationId: number | null): Promise<string[] | null> {
    return listComparedFiles(await this.client(installationId), this.repo, base, head);
  }
}
