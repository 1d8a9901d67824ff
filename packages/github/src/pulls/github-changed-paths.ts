import type { ChangedPaths } from '@stagecraft/engine';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { listComparedFiles } from './list-compared-files.js';
import { listPullRequestFiles } from './list-pull-request-files.js';

/** A PR's files from the PR files API; a main's from the compare API; each in its own repository. */
export class GitHubChangedPaths implements ChangedPaths {
  constructor(private readonly github: RepositoryClientSource) {}

  async ofPullRequest(repo: string, pr: number, installationId: number | null): Promise<string[] | null> {
    const { name } = configuredRepository(this.github, repo);
    return listPullRequestFiles(await this.github.clientFor(name, installationId), repositoryCoordinates(name), pr);
  }

  async ofMain(repo: string, base: string, head: string, installationId: number | null): Promise<string[] | null> {
    const { name } = configuredRepository(this.github, repo);
    return listComparedFiles(await this.github.clientFor(name, installationId), repositoryCoordinates(name), base, head);
  }
}
