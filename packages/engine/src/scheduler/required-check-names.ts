import type { Logger } from '@stagecraft/telemetry';
import type { RepositoryRules } from '../store/heads-store.js';
import type { CheckLookup } from './check-lookup.js';

/** The names a repository's PRs must pass, or why they are not known (the PR then waits). */
export type RequiredNames = { names: readonly string[] } | { unknown: string };

/** How long branch protection's answer counts before it is asked again. */
export const REQUIRED_CHECKS_TTL_MS = 5 * 60_000;

/**
 * Each repository's required check names: its `requireChecks` list, or for `required` what branch
 * protection of its main branch says, asked at most every `ttlMs` per process. When GitHub cannot
 * be asked, the last answer stands; with none yet, the names are unknown and PRs wait, since
 * staging takes only PRs known to be green.
 */
export class RequiredCheckNames {
  private readonly known = new Map<string, { names: string[]; at: number }>();

  constructor(
    private readonly lookup: CheckLookup | undefined,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly ttlMs = REQUIRED_CHECKS_TTL_MS,
  ) {}

  /** No names at all: the repository requires no checks (the scheduler then reads none). */
  static requiresNone(repository: RepositoryRules): boolean {
    const required = repository.requireChecks ?? [];
    return typeof required !== 'string' && required.length === 0;
  }

  async of(repository: RepositoryRules, installationId: number | null = null): Promise<RequiredNames> {
    const required = repository.requireChecks ?? [];
    if (typeof required !== 'string') return { names: required };
    const key = repository.name.toLowerCase();
    const cached = this.known.get(key);
    if (cached && this.clock() - cached.at < this.ttlMs) return { names: cached.names };
    if (!this.lookup) return { unknown: `no GitHub App reads the branch protection of ${repository.mainBranch}` };
    try {
      const names = await this.lookup.requiredChecks(repository.name, installationId);
      this.known.set(key, { names, at: this.clock() });
      return { names };
    } catch (err) {
      const message = (err as Error).message;
      this.logger.warn({ repo: repository.name, err: message }, cached ? "could not read branch protection; the required checks it last named still count" : 'could not read branch protection; PRs wait until it can be read');
      if (cached) return { names: cached.names };
      return { unknown: `the branch protection of ${repository.mainBranch} could not be read` };
    }
  }
}
