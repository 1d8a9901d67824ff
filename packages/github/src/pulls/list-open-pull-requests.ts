export interface OpenPullRequest {
  number: number;
  headSha: string;
  author: string;
  baseRef: string;
  draft: boolean;
  labels: string[];
  updatedAt: string;
}

/** What this needs of an Octokit: paginated GETs. */
export interface PaginatingClient {
  paginate<T>(route: string, params: Record<string, unknown>): Promise<T[]>;
}

interface PullJson {
  number: number;
  draft?: boolean;
  user: { login: string } | null;
  head: { sha: string };
  base: { ref: string };
  labels: Array<{ name?: string }>;
  updated_at: string;
}

/** Every open PR of the repository, all pages (a repository may have hundreds). */
export async function listOpenPullRequests(client: PaginatingClient, repo: { owner: string; repo: string }): Promise<OpenPullRequest[]> {
  const pulls = await client.paginate<PullJson>('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'open', per_page: 100 });
  return pulls.map((p) => ({
    number: p.number,
    headSha: p.head.sha,
    author: p.user?.login ?? 'ghost',
    baseRef: p.base.ref,
    draft: p.draft === true,
    labels: p.labels.flatMap((l) => (l.name ? [l.name] : [])),
    updatedAt: p.updated_at,
  }));
}
