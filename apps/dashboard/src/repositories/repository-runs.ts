import type { CycleRecord } from '@stagecraft/engine';
import { sameRepository } from '@stagecraft/policy';

/** What one configured repository has on an environment: its main, the staging SHA made of it, its PRs. */
export interface RepositoryRun {
  repository: string;
  mainSha: string | null;
  stagingSha: string | null;
  prs: Array<{ number: number; sha: string }>;
}

/** The cycle an environment runs now, per configured repository. */
export interface DeployedRuns {
  cycle: string;
  /** When that cycle finished; null while it still runs (its deploy has succeeded). */
  finishedAt: number | null;
  repositories: RepositoryRun[];
}

/**
 * The newest of `cycles` (newest first) whose deploy succeeded: what the environment runs, even
 * when tests failed after the deploy or the cycle is still running its test kernel.
 */
export function deployedCycle(cycles: readonly CycleRecord[]): CycleRecord | null {
  return cycles.find((c) => c.stages.some((s) => s.stage === 'deploy' && s.status === 'succeeded')) ?? null;
}

/**
 * Each configured repository (config order) with its heads in `cycle`. A cycle recorded before
 * cycles named their repositories has only the first repository's SHAs and PRs without one:
 * they are the first repository's.
 */
export function repositoryRuns(cycle: CycleRecord, repositories: readonly string[]): RepositoryRun[] {
  const first = repositories[0];
  const repos = (cycle.repos as CycleRecord['repos'] | undefined) ?? (first ? [{ repo: first, mainSha: cycle.mainSha, stagingSha: cycle.stagingSha }] : []);
  return repositories.map((repository) => {
    const heads = repos.find((r) => sameRepository(r.repo, repository));
    return {
      repository,
      mainSha: heads?.mainSha ?? null,
      stagingSha: heads?.stagingSha ?? null,
      prs: cycle.prs.filter((p) => sameRepository(p.repo ?? first ?? '', repository)).map((p) => ({ number: p.number, sha: p.sha })),
    };
  });
}

/** The environment's deployed cycle per repository, or null when nothing is deployed yet. */
export function deployedRuns(cycles: readonly CycleRecord[], repositories: readonly string[]): DeployedRuns | null {
  const cycle = deployedCycle(cycles);
  return cycle ? { cycle: cycle.id, finishedAt: cycle.finishedAt, repositories: repositoryRuns(cycle, repositories) } : null;
}
