import express from 'express';
import type { CycleStore, EnvStateStore, EnvironmentStatus, ExcludedPr } from '@stagecraft/engine';
import { explain, type Bisection, type PolicySettings } from '@stagecraft/policy';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import type { ExcludedPrs } from './exclusions/excluded-prs.js';
import type { IgnoredRepositories, IgnoredRepository } from './repositories/ignored-repositories.js';
import { deployedRuns, type DeployedRuns } from './repositories/repository-runs.js';
import { requireBearerToken } from './require-bearer-token.js';

/** Cycles looked at for the one an environment runs (the newest whose deploy succeeded). */
export const DEPLOYED_LOOKBACK = 50;

export interface StatusApiResources {
  cycles: Pick<CycleStore, 'get' | 'list'>;
  states: Pick<EnvStateStore, 'load'>;
  environments: string[];
  /** The configured repositories (`owner/name`), in config order. */
  repositories: string[];
  ignoredRepositories: Pick<IgnoredRepositories, 'list'>;
  /** PRs a bisection excluded that are still out of staging. */
  exclusions: Pick<ExcludedPrs, 'list'>;
  /** The scheduler's policy settings, so each environment comes with explain() of its state. */
  settings: PolicySettings;
  clock: () => number;
  token: string;
  authFailures: AuthFailureLimit;
}

/** GET /api/environments: each environment, and what it runs per configured repository. */
export interface EnvironmentsResponse {
  /** `bisection`: the search for the PR that broke a failed cycle, while it runs (the state's). */
  environments: Array<EnvironmentStatus & { deployed: DeployedRuns | null; bisection: Bisection | null }>;
  repositories: string[];
  /** Webhooks ingress ignored, per repository that is not configured; most first. */
  ignoredRepositories: IgnoredRepository[];
  /** PRs a bisection excluded that are still out of staging, oldest first, each with how to bring it back. */
  exclusions: ExcludedPr[];
}

/** GET /api/cycles, /api/cycles/:id, /api/environments — JSON, behind the dashboard token. */
export function createStatusApi(r: StatusApiResources): express.Router {
  const api = express.Router();
  api.use('/api', requireBearerToken(r.token, r.authFailures));

  api.get('/api/cycles', async (req, res) => {
    const env = typeof req.query['env'] === 'string' ? req.query['env'] : undefined;
    const limit = Math.min(Math.max(Number(req.query['limit'] ?? 50) || 50, 1), 500);
    res.json({ cycles: await r.cycles.list({ ...(env ? { env } : {}), limit }) });
  });

  api.get('/api/cycles/:id', async (req, res) => {
    const cycle = await r.cycles.get(req.params['id'] ?? '');
    if (!cycle) {
      res.status(404).json({ error: `no cycle ${req.params['id']}` });
      return;
    }
    res.json(cycle);
  });

  api.get('/api/environments', async (_req, res) => {
    const now = r.clock();
    const [environments, ignoredRepositories, exclusions] = await Promise.all([
      Promise.all(
        r.environments.map(async (name) => {
          const [{ state }, cycles] = await Promise.all([r.states.load(name), r.cycles.list({ env: name, limit: DEPLOYED_LOOKBACK })]);
          return {
            name,
            running: state.running,
            pending: state.pending,
            lastFinishedAt: state.lastFinishedAt,
            lastFullStartedAt: state.lastFullStartedAt,
            explanation: explain(state, r.settings, now),
            deployed: deployedRuns(cycles, r.repositories),
            bisection: state.bisection ?? null,
          };
        }),
      ),
      r.ignoredRepositories.list(),
      r.exclusions.list(),
    ]);
    const body: EnvironmentsResponse = { environments, repositories: r.repositories, ignoredRepositories, exclusions };
    res.json(body);
  });

  return api;
}
