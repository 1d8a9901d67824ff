import type { CycleStore } from '@stagecraft/engine';
import type { NotificationJob } from '@stagecraft/queue';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { upsertCheckRun } from './upsert-check-run.js';

/**
 * A bisection found that main alone fails: a failed check run on the main head of each repository
 * the bisected cycle composed (every main together is what failed, so each says so), keyed by the
 * cycle so a retried job updates the same run. No PR is blamed. Returns how many main heads were
 * told (0 when the cycle's record is gone).
 */
export async function postMainBroken(
  github: RepositoryClientSource,
  cycles: Pick<CycleStore, 'get'>,
  job: Extract<NotificationJob, { type: 'main-broken' }>,
  opts: { checkName: string; clock: () => number },
): Promise<number> {
  const origin = await cycles.get(job.originCycleId);
  // Trimmed already: which main heads it ran is not known, and a retry cannot learn it.
  if (!origin) return 0;
  const several = origin.repos.length > 1;
  const mains = origin.repos.length > 0 ? origin.repos : [{ repo: github.repositories[0]!.name, mainSha: origin.mainSha, stagingSha: origin.stagingSha }];
  const failed = origin.stages.filter((s) => s.stage === job.stage).at(-1) ?? null;
  let told = 0;
  for (const { repo, mainSha } of mains) {
    if (!mainSha) continue;
    const client = await github.clientFor(repo);
    const summary = [
      `Cycle ${origin.id} failed at **${job.stage}**, and bisecting its PRs (${job.steps} cycle${job.steps === 1 ? '' : 's'}) found that ` +
        `${several ? 'the main branches alone fail it too' : 'main alone fails it too'}: no PR is left out; the fix belongs on main.`,
      ...(failed ? ['', `The ${job.stage} stage said: ${failed.summary}`] : []),
    ].join('\n');
    await upsertCheckRun(
      client,
      repositoryCoordinates(repo),
      {
        name: opts.checkName,
        headSha: mainSha,
        externalId: `${origin.id}:main`,
        status: 'completed',
        conclusion: 'failure',
        completedAt: new Date(opts.clock()).toISOString(),
        output: { title: `main fails ${job.stage} in ${origin.env}`, summary },
      },
      null,
    );
    told++;
  }
  return told;
}
