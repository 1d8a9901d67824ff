import type { PullRequestHead, PullRequestLookup } from '@stagecraft/engine';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';

/** An open PR's head from the pulls API of its repository; null when it is closed or does not exist. */
export class GitHubPullRequestLookup implements PullRequestLookup {
  constructor(private readonly github: RepositoryClientSource) {}

  async head(repo: string, pr: number, installationId: number | null): Promise<PullRequestHead | null> {
    const { name } = configuredRepository(this.github, repo);
    const client = await this.github.clientFor(name, installationId);
    try {
      const { data } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repositoryCoordinates(name), pull_number: pr });
      if (data.state !== 'open') return null;
      return {
        repo: name,
        number: data.number,
        sha: data.head.sha,
        author: data.user?.login ?? 'ghost',
        baseRef: data.base.ref,
        draft: data.draft ?? false,
        labels: (data.labels ?? []).map((l: { name?: string }) => l.name ?? '').filter(Boolean),
        updatedAt: data.updated_at ?? null,
      };
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }
}
