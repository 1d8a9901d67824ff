import type { GitRequestClient } from '../compose/compose-staging.js';
import type { PullRequestHead } from '@stagecraft/engine';
import type { PullRequestLookup } from '@stagecraft/engine';

/** An open PR's head from the pulls API; null when it is closed or does not exist. */
export class GitHubPullRequestLookup implements PullRequestLookup {
  constructor(
    private readonly client: (installationId: number | null) => Promise<GitRequestClient>,
    private readonly repo: { owner: string; repo: string },
  ) {}

  async head(pr: number, installationId: number | null): Promise<PullRequestHead | null> {
    try {
      const { data } = await (await this.client(installationId)).request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.repo, pull_number: pr });
      if (data.state !== 'open') return null;
      return {
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
