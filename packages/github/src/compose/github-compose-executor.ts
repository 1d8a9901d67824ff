import type { RepositoryConfig } from '@stagecraft/config';
import type { HeadsStore, TrustLists } from '@stagecraft/engine';
import { resolveRoles, staticRoles, type RoleResolver } from '@stagecraft/engine';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { pullRequestKey, pullRequestLabel, sameRepository, type StagingRules } from '@stagecraft/policy';
import type { ComposeResults } from '@stagecraft/queue';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { AppNotInstalledError } from '../errors/app-not-installed-error.js';
import { ComposeRepositoryError } from '../errors/compose-repository-error.js';
import { InstallationGoneError } from '../errors/installation-gone-error.js';
import { listOpenPullRequests, type OpenPullRequest, type PaginatingClient } from '../pulls/list-open-pull-requests.js';
import { selectReadyPullRequests, type ReadinessVerdict } from '../pulls/select-ready-pull-requests.js';
import { composeStaging, type Composition, type GitRequestClient } from './compose-staging.js';
import { PullRequestChecks } from '../checks/pull-request-checks.js';
import { RequiredChecksUnreadableError } from '../errors/required-checks-unreadable-error.js';

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
  /** Stagecraft's own check run (`github.checkName`), never one of the checks a PR must pass; default stagecraft/staging. */
  checkName?: string;
}

interface Listed {
  repository: RepositoryConfig;
  client: ComposeClient;
  pulls: OpenPullRequest[];
}

/** What to compose of one repository: from which main, which PR heads in order, and what was left out before. */
interface Plan {
  repository: RepositoryConfig;
  client: ComposeClient;
  /** Main's head when absent. */
  mainSha?: string;
  pulls: Array<{ number: number; headSha: string }>;
  left: Array<{ number: number; sha: string; reason: string }>;
}

type StageIo = { signal: AbortSignal; log: (line: string) => void };

/**
 * compose through the GitHub API: for every configured repository, in config order, its staging
 * branch = its main + every ready PR of it (trusted author or approved head, by that repository's
 * rules), merged oldest first; a conflicting PR is left out of its repository only and reported.
 * The result's sha and mainSha (the first repository's), repos and prs become the cycle's.
 *
 * A bisection step (`ctx.bisect`) is not about what is ready now: each staging branch is its
 * main as the failed cycle had it (`ctx.repos[].mainSha`) + exactly the step's PRs (`ctx.prs`) at the
 * heads that cycle merged, so the step differs from the failed cycle only by the PRs it leaves out.
 */
export class GitHubComposeExecutor implements StageExecutor {
  readonly description: string;
  private readonly checks: PullRequestChecks;

  constructor(private readonly s: GitHubComposeSettings) {
    this.checks = new PullRequestChecks(s.checkName ?? 'stagecraft/staging');
    this.description = `github: ${s.github.repositories.map((r) => `${r.name} ${r.stagingBranch} = ${r.mainBranch} + ready PRs`).join('; ')}`;
  }

  async run(ctx: StageContext, io: StageIo): Promise<ExecutorOutcome> {
    if (ctx.bisect) return this.runBisectionStep(ctx, ctx.bisect, io);
    const started = this.s.clock();
    const label = (repo: string, n: number) => pullRequestLabel(repo, n, this.several());
    const [listed, approvals, skipped, exclusions] = await Promise.all([
      Promise.all(this.s.github.repositories.map((repository) => this.list(repository))),
      this.s.heads.approvals(),
      this.s.heads.skipped(),
      this.s.heads.exclusions(),
    ]);
    // Roles are one list across repositories: ask once for every author.
    const roles = await resolveRoles(this.s.roles ?? staticRoles(this.s.trust), listed.flatMap((l) => l.pulls.map((p) => p.author)));
    const now = this.s.clock();
    const verdicts = await Promise.all(
      listed.map(async (l): Promise<Listed & { verdict: ReadinessVerdict }> => {
        const rules: StagingRules = {
          mainBranch: l.repository.mainBranch,
          maxAgeMs: l.repository.compose.maxAge,
          skipLabel: l.repository.compose.skipLabel,
          now,
          trustedAuthor: (login) => (roles.get(login.toLowerCase()) ?? 'untrusted') !== 'untrusted',
          approvedSha: (pr) => approvals.get(pullRequestKey(pr.repo, pr.number)),
          skippedByCommand: (pr) => skipped.has(pullRequestKey(pr.repo, pr.number)),
          excluded: (pr) => exclusions.get(pullRequestKey(pr.repo, pr.number)),
        };
        // The required checks as GitHub has them now (composing is when they count), for the PRs every other rule lets in.
        const checked = await this.checks.rulesWithChecks(l.client, l.repository, l.pulls, rules).catch((err: unknown) => {
          throw err instanceof RequiredChecksUnreadableError ? err : composeError(l.repository.name, err);
        });
        return { ...l, verdict: selectReadyPullRequests(l.repository.name, l.pulls, checked) };
      }),
    );
    for (const { repository, verdict } of verdicts) for (const { pr, reason } of verdict.left) io.log(`${label(repository.name, pr.number)} left out: ${reason}`);
    return this.compose(
      verdicts.map(({ repository, client, verdict }) => ({
        repository,
        client,
        pulls: verdict.ready.map((p) => ({ number: p.number, headSha: p.headSha })),
        left: verdict.left.map(({ pr, reason }) => ({ number: pr.number, sha: pr.headSha, reason })),
      })),
      io,
      { started, summaryPrefix: '' },
    );
  }

  /** main as the failed cycle had it + exactly the step's PRs, in every repository; nothing else is asked of GitHub. */
  private async runBisectionStep(ctx: StageContext, bisect: NonNullable<StageContext['bisect']>, io: StageIo): Promise<ExecutorOutcome> {
    const started = this.s.clock();
    const repositories = this.s.github.repositories;
    io.log(`bisection step ${bisect.step} of at most ${bisect.maxSteps} for ${bisect.origin}: its mains + ${ctx.prs.length} of its PR(s), not the PRs ready now`);
    // A PR of a repository taken out of the config since the failed cycle cannot be composed.
    const orphans = ctx.prs.filter((p) => !repositories.some((r) => sameRepository(r.name, p.repo)));
    for (const p of orphans) io.log(`${pullRequestLabel(p.repo, p.number, true)} left out: its repository is no longer configured`);
    const plans = await Promise.all(
      repositories.map(async (repository): Promise<Plan> => {
        const client = await this.clientOf(repository);
        const mainSha = ctx.repos.find((r) => sameRepository(r.repo, repository.name))?.mainSha ?? null;
        if (mainSha === null) io.log(`${repository.name}: the failed cycle recorded no main SHA; composing on ${repository.mainBranch}'s head`);
        const orphansHere = repository === repositories[0] ? orphans : [];
        return {
          repository,
          client,
          ...(mainSha !== null ? { mainSha } : {}),
          pulls: ctx.prs.filter((p) => sameRepository(p.repo, repository.name)).map((p) => ({ number: p.number, headSha: p.sha })),
          left: orphansHere.map((p) => ({ number: p.number, sha: p.sha, reason: `its repository ${p.repo} is no longer configured` })),
        };
      }),
    );
    return this.compose(plans, io, { started, summaryPrefix: `bisection step ${bisect.step}/${bisect.maxSteps} of ${bisect.origin}: ` });
  }

  /** Composes each repository's staging branch by its plan, in config order, and reports it as compose results. */
  private async compose(plans: Plan[], io: StageIo, o: { started: number; summaryPrefix: string }): Promise<ExecutorOutcome> {
    const several = this.several();
    const label = (repo: string, n: number) => pullRequestLabel(repo, n, several);
    const composed: Array<{ plan: Plan; composition: Composition }> = [];
    for (const plan of plans) {
      const { repository, client } = plan;
      if (io.signal.aborted) return { status: 'cancelled', summary: 'cancelled before composing', details: null, outputTail: [] };
      const composition = await composeStaging(client, repositoryCoordinates(repository.name), {
        mainBranch: repository.mainBranch,
        stagingBranch: repository.stagingBranch,
        pulls: plan.pulls,
        ...(plan.mainSha !== undefined ? { mainSha: plan.mainSha } : {}),
      }).catch((err: unknown) => {
        throw composeError(repository.name, err);
      });
      for (const c of composition.conflicts) {
        io.log(`${label(repository.name, c.number)} conflicts with ${c.with === 'main' ? repository.mainBranch : label(repository.name, c.with)}: left out`);
      }
      composed.push({ plan, composition });
    }

    const first = composed[0]!.composition;
    const results: ComposeResults = {
      sha: first.stagingSha,
      mainSha: first.mainSha,
      repos: composed.map(({ plan, composition }) => ({ repo: plan.repository.name, sha: composition.stagingSha, mainSha: composition.mainSha })),
      prs: composed.flatMap(({ plan, composition }) => composition.included.map((p) => ({ repo: plan.repository.name, number: p.number, sha: p.sha }))),
      conflicts: composed.flatMap(({ plan, composition }) => composition.conflicts.map((c) => ({ repo: plan.repository.name, ...c }))),
      left: composed.flatMap(({ plan }) => plan.left.map((l) => ({ repo: plan.repository.name, ...l }))),
    };
    return {
      status: 'succeeded',
      summary: o.summaryPrefix + composed.map(({ plan, composition }) => `${several ? `${plan.repository.name}: ` : ''}${summaryOf(plan.repository, composition)}`).join('; '),
      details: { durationMs: this.s.clock() - o.started, results },
      outputTail: [],
    };
  }

  private several(): boolean {
    return this.s.github.repositories.length > 1;
  }

  private async clientOf(repository: RepositoryConfig): Promise<ComposeClient> {
    try {
      return await this.s.github.clientFor(repository.name);
    } catch (err) {
      throw composeError(repository.name, err);
    }
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
