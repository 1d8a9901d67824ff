import { listPullRequestFiles, type PaginatingClient } from '@stagecraft/github';
import type { ChangedPaths } from './changed-paths.js';

/** A PR's files from the GitHub PR files API. */
export class GitHubChangedPaths implements ChangedPaths {
  constructor(
    private readonly client: (installationId: number | null) => Promise<PaginatingClient>,
    private readonly repo: { owner: string; repo: string },
  ) {}

  async ofPullRequest(pr: number, installationId: number | null): Promise<string[] | null> {
    return listPullRequestFiles(await this.client(installationId), this.repo, pr);
  }
}
