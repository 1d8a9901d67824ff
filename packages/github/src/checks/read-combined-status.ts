import { commitStatusState } from '@stagecraft/policy';
import type { CheckReport } from '@stagecraft/queue';
import type { GitRequestClient } from '../compose/compose-staging.js';
import { timeOf } from './list-check-runs.js';

interface StatusJson {
  context: string;
  state: string;
  updated_at: string | null;
  created_at: string | null;
}

const PER_PAGE = 100;

/**
 * The newest commit status of each context on a commit (the combined status), page by page: its
 * body is an object holding the page, which Octokit's paginate does not unwrap.
 */
export async function readCombinedStatus(client: GitRequestClient, repo: { owner: string; repo: string }, sha: string): Promise<CheckReport[]> {
  const statuses: StatusJson[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { ...repo, ref: sha, per_page: PER_PAGE, page });
    const batch = (data?.statuses ?? []) as StatusJson[];
    statuses.push(...batch);
    if (batch.length < PER_PAGE || statuses.length >= Number(data?.total_count ?? 0)) break;
  }
  return statuses.map((s) => ({ type: 'status' as const, name: s.context, state: commitStatusState(s.state), at: timeOf(s.updated_at ?? s.created_at) }));
}
