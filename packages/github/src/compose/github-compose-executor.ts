import type { RepositoryConfig } from '@stagecraft/config';
import type { HeadsStore, TrustLists } from '@stagecraft/engine';
import { resolveRoles, staticRoles, type RoleResolver } from '@stagecraft/engine';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { pullRequestKey, pullRequestLabel } from '@stagecraft/policy';
import type { ComposeResults } from '@stagecraft/queue';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { AppNotInstalledError } from '../errors/app-not-installed-error.js';
import { ComposeRepositoryError } from '../errors/compose-repository-error.js';
import { InstallationGoneError } from '../errors/installation-gone-error.js';
import { listOpenPullRequests, type OpenPullRequest, type PaginatingClient } from '../pulls/list-open-pull-requests.js';
import { selectReadyPullRequests, type ReadinessVerdict } from '../pulls/select-ready-pull-requests.js';
import { composeStaging, type Composition, type GitRequestClient } from './compose-staging.js';

/** The part of an installation Octokit composing uses. */
export type ComposeClient = GitRequestClient & PaginatingClient;

export interface GitHubComposeSettings {
  /** The configured repositories (each with its branches and compose rules) and a client for each. */
  github: RepositoryClientSource;
  trust: TrustLists;
  /** Authors trusted through GitHub (teams, org membership); default: the config's lists. */
  roles?: RoleResolver;
  /** Approvals, skips and bisection's exclusions, keyed by pullRequestKey (`owner/name#n`). */
  heads: Pick<HeadsStore, 'approvals' | 'skipped' | 'exclusions'>;
  clock: () => number;
}

interface Listed {
  repository: RepositoryConfig;
  client: ComposeClient;
  pulls: OpenPullRequest[];
}

/**
 * compose through the GitHub API: for every configured repository, in config order, its staging
 * branch = its main + every ready PR of it (trusted author or approved head, by that repository's
 * rules), merged oldest first; a conflicting PR is left out of its repository only and reported.
 * The result's sha and mainSha (the first repository's), repos and prs become the cycle's.
 */
export class GitHubComposeExecutor implements StageExecutor {
  readonly description: string;

  constructor(private readonly s: GitHubComposeSettings) {
    this.description = `github: ${s.github.repositories.map((r) => `${r.name} ${r.stagingBranch} = ${r.mainBranch} + ready PRs`).join('; ')}`;
  }

  async run(_ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const started = this.s.clock();
    const several = this.s.github.repositories.length > 1;
    const label = (repo: string, n: number) => pullRequestLabel(repo, n, several);
    const [listed, approvals, skipped, exclusions] = await Promise.all([
      Promise.all(this.s.github.repositories.map((repository) => this.list(repository))),
      this.s.heads.approvals(),
      this.s.heads.skipped(),
      this.s.heads.exclusions(),
    ]);
    // Roles are one list across repositories: ask once for every author.
    const roles = await resolveRoles(this.s.roles ?? staticRoles(this.s.trust), listed.flatMap((l) => l.pulls.map((p) => p.author)));
    const now = this.s.clock();
    const verdicts = listed.map((l): Listed & { verdict: ReadinessVerdict } => ({
      ...l,
      verdict: selectReadyPullRequests(l.repository.name, l.pulls, {
        mainBranch: l.repository.mainBranch,
        maxAgeMs: l.repository.compose.maxAge,
        skipLabel: l.repository.compose.skipLabel,
        now,
        trustedAuthor: (login) => (roles.get(login.toLowerCase()) ?? 'untrusted') !== 'untrusted',
        approvedSha: (pr) => approvals.get(pullRequestKey(pr.repo, pr.number)),
        skippedByCommand: (pr) => skipped.has(pullRequestKey(pr.repo, pr.number)),
        excluded: (pr) => exclusions.get(pullRequestKey(pr.repo, pr.number)),
      }),
    }));
    for (const { repository, verdict } of verdicts) for (const { pr, reason } of verdict.left) io.log(`${label(repository.name, pr.number)} left out: ${reason}`);

    const composed: Array<{ repository: RepositoryConfig; composition: Composition; verdict: ReadinessVerdict }> = [];
    for (const { repository, client, verdict } of verdicts) {
      if (io.signal.aborted) return { status: 'cancelled', summary: 'cancelled before composing', details: null, outputTail: [] };
      const composition = await composeStaging(client, repositoryCoordinates(repository.name), {
        mainBranch: repository.mainBranch,
        stagingBranch: repository.stagingBranch,
        pulls: verdict.ready.map((p) => ({ number: p.number, headSha: p.headSha })),
      }).catch((err: unknown) => {
        throw composeError(repository.name, err);
      });
      for (const c of composition.conflicts) {
        io.log(`${label(repository.name, c.number)} conflicts with ${c.with === 'main' ? repository.mainBranch : label(repository.name, c.with)}: left out`);
      }
      composed.push({ repository, composition, verdict });
    }

    const first = composed[0]!.composition;
    const results: ComposeResults = {
      sha: first.stagingSha,
      mainSha: first.mainSha,
      repos: composed.map(({ repository, composition }) => ({ repo: repository.name, sha: composition.stagingSha, mainSha: composition.mainSha })),
      prs: composed.flatMap(({ repository, composition }) => composition.included.map((p) => ({ repo: repository.name, number: p.number, sha: p.sha }))),
      conflicts: composed.flatMap(({ repository, composition }) => composition.conflicts.map((c) => ({ repo: repository.name, ...c }))),
      left: composed.flatMap(({ repository, verdict }) => verdict.left.map(({ pr, reason }) => ({ repo: repository.name, number: pr.number, sha: pr.headSha, reason }))),
    };
    return {
      status: 'succeeded',
      summary: composed.map(({ repository, composition }) => `${several ? `${repository.name}: ` : ''}${summaryOf(repository, composition)}`).join('; '),
      details: { durationMs: this.s.clock() - started, results },
      outputTail: [],
    };
  }

  private async list(repository: RepositoryConfig): Promise<Listed> {
    try {
      const client = await this.s.github.clientFor(repository.name);
      return { repository, client, pulls: await listOpenPullRequests(client, repositoryCoordinates(repository.name)) };
    } catch (err) {
      throw composeError(repository.name, err);
    }
  }
}

/** GitHub's answer with the repository named; errors of ours that name it already go as they are. */
function composeError(repository: string, err: unknown): Error {
  if (err instanceof AppNotInstalledError || err instanceof InstallationGoneError) return err;
  return new ComposeRepositoryError(repository, err);
}

function summaryOf(repository: RepositoryConfig, composition: Composition): string {
  return (
    `${repository.stagingBranch} ${composition.stagingSha.slice(0, 7)} = ${repository.mainBranch} ${composition.mainSha.slice(0, 7)}` +
    ` + ${composition.included.length} PR(s)` +
    (composition.conflicts.length ? `, ${composition.conflicts.length} left out for conflicts` : '')
  );
}
