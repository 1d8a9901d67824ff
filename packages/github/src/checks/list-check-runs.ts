import { checkRunState } from '@stagecraft/policy';
import type { CheckReport } from '@stagecraft/queue';
import type { PaginatingClient } from '../pulls/list-open-pull-requests.js';

interface CheckRunJson {
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/**
 * The newest check run of each name on a commit (`filter: latest`), every page: a commit may carry
 * more runs than one page holds (a matrix build), and a required one may be on any page.
 */
export async function listCheckRuns(client: PaginatingClient, repo: { owner: string; repo: string }, sha: string): Promise<CheckReport[]> {
  const runs = await client.paginate<CheckRunJson>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...repo, ref: sha, filter: 'latest', per_page: 100 });
  return runs.map((run) => ({
    type: 'run' as const,
    name: run.name,
    state: checkRunState(run.status, run.conclusion),
    at: timeOf(run.completed_at ?? run.started_at),
  }));
}

/** GitHub's ISO time in epoch ms; a run GitHub gives no time has not started: the oldest there is. */
export function timeOf(iso: string | null | undefined): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}
