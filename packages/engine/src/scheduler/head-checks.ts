import type { ChecksVerdict } from '@stagecraft/policy';
import type { CheckReport, ChecksEvent } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { HeadChecksStore } from '../store/head-checks-store.js';
import type { RepositoryRules } from '../store/heads-store.js';
import type { PullRequestHead } from '../store/pull-request-head.js';
import type { CheckLookup } from './check-lookup.js';
import { headChecksVerdict } from './head-checks-verdict.js';
import { RequiredCheckNames, type RequiredNames } from './required-check-names.js';

export interface HeadChecksResources {
  store: HeadChecksStore;
  /** GitHub (the App); without it only the webhooks report checks. */
  lookup?: CheckLookup;
  logger: Logger;
  clock: () => number;
}

/**
 * The scheduler's side of required checks: what each PR head's checks say, from the webhooks kept
 * in Redis and, with the GitHub App, from GitHub itself whenever a head comes or a checks webhook
 * reports on one (so a lost webhook does not keep a PR out). A repository that requires no checks
 * costs nothing here: no Redis, no GitHub.
 */
export class HeadChecks {
  private readonly names: RequiredCheckNames;

  constructor(private readonly r: HeadChecksResources) {
    this.names = new RequiredCheckNames(r.lookup, r.logger, r.clock);
  }

  /** Where the reported checks are kept (readySnapshot reads them there). */
  get store(): HeadChecksStore {
    return this.r.store;
  }

  requiresNone(repository: RepositoryRules): boolean {
    return RequiredCheckNames.requiresNone(repository);
  }

  /**
   * The verdict on a PR's head (undefined when its repository requires no checks). `fresh`: the head
   * just came, so GitHub is asked (with the App) and its answer kept; else what is kept counts.
   */
  async ofHead(repository: RepositoryRules, sha: string, installationId: number | null, fresh: boolean): Promise<ChecksVerdict | undefined> {
    if (this.requiresNone(repository)) return undefined;
    const required = await this.names.of(repository, installationId);
    const remote = fresh ? await this.read(repository.name, sha, installationId) : null;
    const reports = remote ? (await this.r.store.merge(repository.name, sha, remote, null)).after : (await this.r.store.readHeads([{ repo: repository.name, sha }]))[0]!;
    return headChecksVerdict(required, reports);
  }

  /**
   * A checks event: what it reports is kept (whatever commit it is about, as a PR may come with that
   * head later), plus GitHub's own list when it reports on an open PR's head and may change its
   * verdict (a check suite, or a required name). Undefined when the repository requires none.
   */
  async report(repository: RepositoryRules, ev: ChecksEvent, pr: PullRequestHead | null): Promise<{ before: ChecksVerdict; now: ChecksVerdict } | undefined> {
    if (this.requiresNone(repository)) return undefined;
    const required = await this.names.of(repository, ev.installationId);
    const touchesRequired = ev.source === 'check_suite' || 'unknown' in required || ev.checks.some((c) => required.names.includes(c.name));
    // Only a head that may join staging is worth asking GitHub about: not a draft's, not one of a PR against another branch.
    const stageable = pr !== null && !pr.draft && pr.baseRef === repository.mainBranch;
    const remote = stageable && touchesRequired ? await this.read(repository.name, ev.sha, ev.installationId) : null;
    const { before, after } = await this.r.store.merge(repository.name, ev.sha, [...ev.checks, ...(remote ?? [])], ev.id);
    return { before: headChecksVerdict(required, before), now: headChecksVerdict(required, after) };
  }

  /** The required names of every repository that requires checks, by lower-case name (what readySnapshot judges with). */
  async requiredByRepository(repositories: readonly RepositoryRules[]): Promise<Map<string, RequiredNames>> {
    const requiring = repositories.filter((r) => !this.requiresNone(r));
    const names = await Promise.all(requiring.map((r) => this.names.of(r)));
    return new Map(requiring.map((r, i) => [r.name.toLowerCase(), names[i]!]));
  }

  /**
   * The idle check: asks GitHub again about each open PR head that is not green yet (a webhook may
   * have been lost), keeping what it says. Returns how many heads it read.
   */
  async refresh(heads: readonly PullRequestHead[], repositories: readonly RepositoryRules[]): Promise<number> {
    if (!this.r.lookup) return 0;
    const required = await this.requiredByRepository(repositories);
    const mainOf = new Map(repositories.map((r) => [r.name.toLowerCase(), r.mainBranch]));
    const candidates = heads.filter((h) => required.has(h.repo.toLowerCase()) && !h.draft && h.baseRef === mainOf.get(h.repo.toLowerCase()));
    const kept = await this.r.store.readHeads(candidates);
    let read = 0;
    for (const [i, head] of candidates.entries()) {
      if (headChecksVerdict(required.get(head.repo.toLowerCase())!, kept[i]!).state === 'green') continue;
      const remote = await this.read(head.repo, head.sha, null);
      if (remote) {
        await this.r.store.merge(head.repo, head.sha, remote, null);
        read++;
      }
    }
    return read;
  }

  /** GitHub's checks of a commit; null (and a warning) when GitHub cannot be read: the webhooks' then count. */
  private async read(repo: string, sha: string, installationId: number | null): Promise<CheckReport[] | null> {
    if (!this.r.lookup) return null;
    try {
      return await this.r.lookup.ofCommit(repo, sha, installationId);
    } catch (err) {
      this.r.logger.warn({ repo, sha, err: (err as Error).message }, "could not read the commit's checks from GitHub; the checks webhooks reported count");
      return null;
    }
  }
}
