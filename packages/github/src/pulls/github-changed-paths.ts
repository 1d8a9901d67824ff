import { listComparedFiles } from './list-compared-files.js';
import { listPullRequestFiles } from './list-pull-request-files.js';
import type { GitRequestClient } from '../compose/compose-staging.js';
import type { PaginatingClient } from './list-open-pull-requests.js';
import type { ChangedPaths } from '@stagecraft/engine';

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
