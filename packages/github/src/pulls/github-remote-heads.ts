import type { RepositoryConfig } from '@stagecraft/config';
import type { PullRequestHead, RemoteHeads } from '@stagecraft/engine';
import type { GitRequestClient } from '../compose/compose-staging.js';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { listOpenPullRequests } from './list-open-pull-requests.js';

/** Each configured repository's main head from the git refs API and its open PRs from the pulls API, for the idle check. */
export class GitHubRemoteHeads implements RemoteHeads {
  constructor(private readonly github: RepositoryClientSource) {}

  /**
   * All repositories or nothing: a repository that cannot be read rejects the whole read, since a
   * PR missing from a partial list would look closed.
   */
  async read(): Promise<{ mains: Record<string, string | null>; prs: PullRequestHead[] }> {
    const read = await Promise.all(this.github.repositories.map((repository) => this.readOne(repository)));
    return { mains: Object.fromEntries(read.map((r) => [r.repo, r.main])), prs: read.flatMap((r) => r.prs) };
  }

  private async readOne(repository: RepositoryConfig): Promise<{ repo: string; main: string | null; prs: PullRequestHead[] }> {
    const client = await this.github.clientFor(repository.name);
    const coordinates = repositoryCoordinates(repository.name);
    const [main, pulls] = await Promise.all([mainHead(client, coordinates, repository.mainBranch), listOpenPullRequests(client, coordinates)]);
    return {
      repo: repository.name,
      main,
      prs: pulls.map((p) => ({ repo: repository.name, number: p.number, sha: p.headSha, author: p.author, baseRef: p.baseRef, draft: p.draft, labels: p.labels, updatedAt: p.updatedAt })),
    };
  }
}

async function mainHead(client: GitRequestClient, repo: { owner: string; repo: string }, mainBranch: string): Promise<string | null> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repo, ref: `heads/${mainBranch}` });
    return (data?.object?.sha as string | undefined) ?? null;
  } catch (err) {
    // No main branch (an empty repository): nothing to stage from it.
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}
