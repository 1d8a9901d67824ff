import type { GitRequestClient } from '../compose/compose-staging.js';

export interface DeploymentState {
  ref: string;
  environment: string;
  /** Identifies the deployment across retries (kept in its payload). */
  key: string;
  description: string;
  state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';
  logUrl?: string;
  production: boolean;
}

/**
 * One GitHub Deployment per key (created once, found again by its payload after a crash) and a
 * status for its current state, so the PR page shows "deployed to <environment>".
 */
export async function publishDeployment(
  client: GitRequestClient,
  repo: { owner: string; repo: string },
  d: DeploymentState,
  knownId: number | null,
): Promise<number> {
  const id = knownId ?? (await findDeployment(client, repo, d)) ?? (await createDeployment(client, repo, d));
  await client.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    ...repo,
    deployment_id: id,
    state: d.state,
    description: d.description.slice(0, 140),
    environment: d.environment,
    auto_inactive: d.state === 'success',
    ...(d.logUrl ? { log_url: d.logUrl } : {}),
  });
  return id;
}

async function createDeployment(client: GitRequestClient, repo: { owner: string; repo: string }, d: DeploymentState): Promise<number> {
  const created = await client.request('POST /repos/{owner}/{repo}/deployments', {
    ...repo,
    ref: d.ref,
    environment: d.environment,
    description: d.description.slice(0, 140),
    auto_merge: false,
    // The PR's own checks (ours among them) are still running: do not wait for them.
    required_contexts: [],
    transient_environment: false,
    production_environment: d.production,
    payload: { stagecraft: d.key },
  });
  return Number(created.data.id);
}

async function findDeployment(client: GitRequestClient, repo: { owner: string; repo: string }, d: DeploymentState): Promise<number | null> {
  const found = await client.request('GET /repos/{owner}/{repo}/deployments', { ...repo, sha: d.ref, environment: d.environment, per_page: 100 });
  const list = (found.data ?? []) as Array<{ id: number; payload?: { stagecraft?: string } | string }>;
  return list.find((x) => typeof x.payload === 'object' && x.payload?.stagecraft === d.key)?.id ?? null;
}
