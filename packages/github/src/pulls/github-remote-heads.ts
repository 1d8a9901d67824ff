import type { PullRequestHead, RemoteHeads } from '@stagecraft/engine';
import type { GitRequestClient } from '../compose/compose-staging.js';
import { listOpenPullRequests, type PaginatingClient } from './list-open-pull-requests.js';

/** main's head from the git refs API and every open PR from the pulls API, for the idle check. */
export class GitHubRemoteHeads implements RemoteHeads {
  constructor(
    private readonly client: (installationId: number | null) => Promise<PaginatingClient & GitRequestClient>,
    private readonly repo: { owner: string; repo: string },
    private readonly mainBranch: string,
  ) {}

  async read(): Promise<{ main: string | null; prs: PullRequestHead[] }> {
    const client = await this.client(null);
    const [main, pulls] = await Promise.all([this.mainHead(client), listOpenPullRequests(client, this.repo)]);
    return {
      main,
      prs: pulls.map((p) => ({ number: p.number, sha: p.headSha, author: p.author, baseRef: p.baseRef, draft: p.draft, labels: p.labels, updatedAt: p.updatedAt })),
    };
  }

  private async mainHead(client: GitRequestClient): Promise<string | null> {
    try {
      const { data } = await client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...this.repo, ref: `heads/${this.mainBranch}` });
      return (data?.object?.sha as string | undefined) ?? null;
    } catch (err) {
      // No main branch (an empty repository): nothing to stage from it.
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }
}
