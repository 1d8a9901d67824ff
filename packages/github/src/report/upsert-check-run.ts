import type { GitRequestClient } from '../compose/compose-staging.js';

export interface CheckRunState {
  name: string;
  headSha: string;
  /** Identifies the run across retries: a run for this head with this id is ours already. */
  externalId: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped';
  startedAt?: string;
  completedAt?: string;
  detailsUrl?: string;
  output: { title: string; summary: string };
}

/** Creates or updates one check run; returns its id. Without a known id it looks for one by external id first. */
export async function upsertCheckRun(
  client: GitRequestClient,
  repo: { owner: string; repo: string },
  run: CheckRunState,
  knownId: number | null,
): Promise<number> {
  const fields = {
    status: run.status,
    external_id: run.externalId,
    output: run.output,
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.startedAt ? { started_at: run.startedAt } : {}),
    ...(run.completedAt ? { completed_at: run.completedAt } : {}),
    ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
  };
  const id = knownId ?? (await findCheckRun(client, repo, run));
  if (id !== null) {
    await client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...repo, check_run_id: id, ...fields });
    return id;
  }
  const created = await client.request('POST /repos/{owner}/{repo}/check-runs', { ...repo, name: run.name, head_sha: run.headSha, ...fields });
  return Number(created.data.id);
}

async function findCheckRun(client: GitRequestClient, repo: { owner: string; repo: string }, run: CheckRunState): Promise<number | null> {
  const found = await client.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    ...repo,
    ref: run.headSha,
    check_name: run.name,
    filter: 'all',
    per_page: 100,
  });
  const runs = (found.data?.check_runs ?? []) as Array<{ id: number; external_id?: string | null }>;
  return runs.find((r) => r.external_id === run.externalId)?.id ?? null;
}
