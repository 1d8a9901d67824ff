import type { CheckLookup } from '@stagecraft/engine';
import type { CheckReport } from '@stagecraft/queue';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { listCheckRuns } from './list-check-runs.js';
import { readCombinedStatus } from './read-combined-status.js';
import { readRequiredChecks } from './read-required-checks.js';

/**
 * A commit's checks (check runs and commit statuses) and the main branch's required checks, read
 * through the App in the repository's own installation. Stagecraft's own check run is never a
 * required one: a PR gets it only once it is staged, so requiring it would keep every PR out.
 */
export class GitHubCheckLookup implements CheckLookup {
  constructor(
    private readonly github: RepositoryClientSource,
    private readonly ownCheckName: string,
  ) {}

  async ofCommit(repo: string, sha: string, installationId: number | null): Promise<CheckReport[]> {
    const { name } = configuredRepository(this.github, repo);
    const client = await this.github.clientFor(name, installationId);
    const coordinates = repositoryCoordinates(name);
    const [runs, statuses] = await Promise.all([listCheckRuns(client, coordinates, sha), readCombinedStatus(client, coordinates, sha)]);
    return [...runs, ...statuses].filter((c) => c.name !== this.ownCheckName);
  }

  async requiredChecks(repo: string, installationId: number | null): Promise<string[]> {
    const repository = configuredRepository(this.github, repo);
    const client = await this.github.clientFor(repository.name, installationId);
    const names = await readRequiredChecks(client, repositoryCoordinates(repository.name), repository.mainBranch);
    return names.filter((n) => n !== this.ownCheckName);
  }
}
