import type { RepositoryConfig } from '@stagecraft/config';
import { checksVerdict, whyNotReady, type ChecksVerdict, type StagingRules } from '@stagecraft/policy';
import type { GitRequestClient } from '../compose/compose-staging.js';
import type { OpenPullRequest, PaginatingClient } from '../pulls/list-open-pull-requests.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { listCheckRuns } from './list-check-runs.js';
import { readCombinedStatus } from './read-combined-status.js';
import { readRequiredChecks } from './read-required-checks.js';

/** Heads read at once: enough to be quick, few enough not to trip GitHub's secondary rate limit. */
const CONCURRENCY = 4;

/**
 * The github composer's required checks: what GitHub says now about the heads of the PRs every
 * other rule lets in (nothing is read for a draft or an untrusted author's PR), judged by the
 * repository's `requireChecks` (for `required`, its main branch's protection). Stagecraft's own
 * check run is never one of them: a PR gets it only once staged.
 */
export class PullRequestChecks {
  constructor(private readonly ownCheckName: string) {}

  /** `rules` with the checks rule added; as they are when the repository requires no checks. */
  async rulesWithChecks(client: GitRequestClient & PaginatingClient, repository: RepositoryConfig, pulls: readonly OpenPullRequest[], rules: StagingRules): Promise<StagingRules> {
    const required = repository.compose.requireChecks;
    if (typeof required !== 'string' && required.length === 0) return rules;
    const coordinates = repositoryCoordinates(repository.name);
    const names = (typeof required === 'string' ? await readRequiredChecks(client, coordinates, repository.mainBranch) : required).filter((n) => n !== this.ownCheckName);
    const candidates = pulls.filter((p) => whyNotReady({ ...p, repo: repository.name, sha: p.headSha }, rules) === null);
    const verdicts = new Map<string, ChecksVerdict>();
    for (let i = 0; i < candidates.length; i += CONCURRENCY) {
      await Promise.all(
        candidates.slice(i, i + CONCURRENCY).map(async (p) => {
          const [runs, statuses] = await Promise.all([listCheckRuns(client, coordinates, p.headSha), readCombinedStatus(client, coordinates, p.headSha)]);
          verdicts.set(p.headSha, checksVerdict(names, [...runs, ...statuses]));
        }),
      );
    }
    return { ...rules, checks: (pr) => verdicts.get(pr.sha) };
  }
}
