import type { CycleRecord, DeployedRuns, RepositoryRun } from '@stagecraft/engine';
import { sameRepository } from '@stagecraft/policy';

export type { DeployedRuns, RepositoryRun };

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
