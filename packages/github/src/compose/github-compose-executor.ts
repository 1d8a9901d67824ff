import { composeStaging, type GitRequestClient } from './compose-staging.js';
import { listOpenPullRequests, type PaginatingClient } from '../pulls/list-open-pull-requests.js';
import { selectReadyPullRequests } from '../pulls/select-ready-pull-requests.js';
import type { StageContext } from '@stagecraft/executors';
import type { HeadsStore } from '@stagecraft/engine';
import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import type { TrustLists } from '@stagecraft/engine';
import { resolveRoles, staticRoles, type RoleResolver } from '@stagecraft/engine';

/** The part of an installation Octokit composing uses. */
export type ComposeClient = GitRequestClient & PaginatingClient;

export interface GitHubComposeSettings {
  /** An installation client for the repository (the app resolves and caches its token). */
  client: () => Promise<ComposeClient>;
  repo: { owner: string; repo: string };
  mainBranch: string;
  stagingBranch: string;
  maxAgeMs: number;
  skipLabel: string;
  trust: TrustLists;
  /** Authors trusted through GitHub (teams, org membership); default: the config's lists. */
  roles?: RoleResolver;
  heads: Pick<HeadsStore, 'approvals' | 'skipped'>;
  clock: () => number;
}

/**
 * compose through the GitHub API: staging = main + every ready PR (trusted author or approved
 * head), merged oldest first; conflicting PRs are left out and reported. The result's sha, mainSha
 * and prs become the cycle's.
 */
export class GitHubComposeExecutor implements StageExecutor {
  readonly description: string;

  constructor(private readonly s: GitHubComposeSettings) {
    this.description = `github: ${s.repo.owner}/${s.repo.repo} ${s.stagingBranch} = ${s.mainBranch} + ready PRs`;
  }

  async run(_ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const started = this.s.clock();
    const [client, approvals, skipped] = await Promise.all([this.s.client(), this.s.heads.approvals(), this.s.heads.skipped()]);
    const pulls = await listOpenPullRequests(client, this.s.repo);
    const roles = await resolveRoles(this.s.roles ?? staticRoles(this.s.trust), pulls.map((p) => p.author));
    const verdict = selectReadyPullRequests(pulls, {
      mainBranch: this.s.mainBranch,
      maxAgeMs: this.s.maxAgeMs,
      skipLabel: this.s.skipLabel,
      now: this.s.clock(),
      trustedAuthor: (login) => (roles.get(login.toLowerCase()) ?? 'untrusted') !== 'untrusted',
      approvedSha: (pr) => approvals.get(pr),
      skippedByCommand: (pr) => skipped.has(pr),
    });
    for (const { pr, reason } of verdict.left) io.log(`#${pr.number} left out: ${reason}`);
    if (io.signal.aborted) return { status: 'cancelled', summary: 'cancelled before composing', details: null, outputTail: [] };
    const composition = await composeStaging(client, this.s.repo, {
      mainBranch: this.s.mainBranch,
      stagingBranch: this.s.stagingBranch,
      pulls: verdict.ready.map((p) => ({ number: p.number, headSha: p.headSha })),
    });
    for (const c of composition.conflicts) io.log(`#${c.number} conflicts with ${c.with === 'main' ? this.s.mainBranch : `#${c.with}`}: left out`);
    const summary =
      `${this.s.stagingBranch} ${composition.stagingSha.slice(0, 7)} = ${this.s.mainBranch} ${composition.mainSha.slice(0, 7)}` +
      ` + ${composition.included.length} PR(s)` +
      (composition.conflicts.length ? `, ${composition.conflicts.length} left out for conflicts` : '');
    return {
      status: 'succeeded',
      summary,
      details: {
        durationMs: this.s.clock() - started,
        results: {
          sha: composition.stagingSha,
          mainSha: composition.mainSha,
          prs: composition.included,
          conflicts: composition.conflicts,
          left: verdict.left.map(({ pr, reason }) => ({ number: pr.number, sha: pr.headSha, reason })),
        },
      },
      outputTail: [],
    };
  }
}
