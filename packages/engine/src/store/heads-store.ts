import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';
import { stagingVerdict, type ChecksVerdict, type Role, type StagingRule, type StagingRules } from '@stagecraft/policy';
import type { HeadsSnapshot, PrHead, PullRequestHead, ReadySnapshot, WaitingPr } from './pull-request-head.js';
import type { HeadChecksStore } from './head-checks-store.js';
import { resolveRoles, type RoleResolver } from '../scheduler/role-resolver.js';
import { headChecksVerdict } from '../scheduler/head-checks-verdict.js';
import type { RequiredNames } from '../scheduler/required-check-names.js';

/** One repository's rules for which of its PRs are ready (its main branch, its compose rules). */
export interface RepositoryRules {
  /** `owner/name` as configured. */
  name: string;
  mainBranch: string;
  skipLabel: string;
  maxAgeMs: number;
  /** The checks a PR's head must pass first: names, or `required` (branch protection); none when absent. */
  requireChecks?: readonly string[] | 'required';
}

/** What decides which PRs are ready, besides what this store knows (heads, approvals, skips). */
export interface ReadyRules {
  repositories: readonly RepositoryRules[];
  now: number;
  roles: RoleResolver;
  /** Repositories that require checks (lower-case name → the names), and where each head's checks are kept. */
  checks?: { required: ReadonlyMap<string, RequiredNames>; store: Pick<HeadChecksStore, 'readHeads'> };
}
import { pullRequestKey } from '@stagecraft/policy';
import { APPLY_HEADS_LUA, headsUpdatesArg, mainField, prField } from './apply-heads-lua.js';
import type { HeadsUpdate } from './heads-update.js';

/** What one PR head is judged by besides what this store knows: its repository, the time, its author's role and its required checks. */
export interface HeadRules {
  repository: RepositoryRules;
  now: number;
  /** Roles by lower-case login (resolveRoles); a login not in it is untrusted. */
  roles: ReadonlyMap<string, Role>;
  /** How the head's required checks stand; absent when its repository requires none. */
  checks?: ChecksVerdict;
}

type ScriptedRedis = Redis & { stagecraftApplyHeads(headsKey: string, closedKey: string, updates: string): Promise<number> };

/** A PR head a bisection found broke a cycle. */
export interface Exclusion {
  sha: string;
  /** For people: "it broke deploy in staging-12 (found by bisection in 3 cycles)". */
  reason: string;
  cycleId: string;
  stage: string;
  at: number;
}

/** What Stagecraft has learned from webhooks about main and the open PRs, plus deploy approvals. */
export class HeadsStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StagecraftKeys,
  ) {
    if (!('stagecraftApplyHeads' in redis)) {
      // KEYS[1] the heads hash, KEYS[2] the closed-PR sorted set; ARGV[1] the updates (JSON, see
      // applyHeads). Returns how many updates moved a head.
      redis.defineCommand('stagecraftApplyHeads', { numberOfKeys: 2, lua: `${APPLY_HEADS_LUA}\nreturn applyHeads(KEYS[1], KEYS[2], ARGV[1])` });
    }
    this.redis = redis as ScriptedRedis;
  }

  /** Applies head updates, each only when it is newer than what its ref holds (see HeadOrder); returns how many moved. */
  async apply(updates: HeadsUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    return this.redis.stagecraftApplyHeads(this.keys.heads(), this.keys.headsClosed(), headsUpdatesArg(updates));
  }

  /** A closed (or merged) PR: its approval, skip and notifier bookkeeping go with it (its head goes through apply). */
  async forgetPr(repo: string, pr: number): Promise<void> {
    const key = pullRequestKey(repo, pr);
    await this.redis
      .multi()
      .hdel(this.keys.approvals(), key)
      .hdel(this.keys.skips(), key)
      .hdel(this.keys.exclusions(), key)
      .del(this.keys.prComment(repo, pr), this.keys.conflictsTold(repo, pr), this.keys.excludedLabel(repo, pr))
      .exec();
  }

  /** The PRs whose head is known (open as far as Stagecraft was told), each in its repository. */
  async knownPrs(): Promise<Array<{ repo: string; number: number }>> {
    const raws = await this.redis.hgetall(this.keys.heads());
    return Object.entries(raws).flatMap(([field, value]) => {
      if (!field.startsWith('pr:')) return [];
      const head = JSON.parse(value) as PullRequestHead;
      return [{ repo: head.repo, number: head.number }];
    });
  }

  async getPr(repo: string, pr: number): Promise<PullRequestHead | null> {
    const raw = await this.redis.hget(this.keys.heads(), prField(repo, pr));
    return raw ? (JSON.parse(raw) as PullRequestHead) : null;
  }

  /** A maintainer's deploy command covers exactly this head SHA. */
  async approve(repo: string, pr: number, sha: string, by: string): Promise<void> {
    await this.redis.hset(this.keys.approvals(), pullRequestKey(repo, pr), JSON.stringify({ sha, by, at: Date.now() }));
  }

  /** `@bot skip`: the PR stays out of staging until a maintainer's deploy. */
  async skip(repo: string, pr: number, by: string): Promise<void> {
    await this.redis.hset(this.keys.skips(), pullRequestKey(repo, pr), by);
  }

  /** A maintainer's deploy: the PR goes back to staging, whether a skip or a bisection left it out. */
  async unskip(repo: string, pr: number): Promise<void> {
    await this.redis.multi().hdel(this.keys.skips(), pullRequestKey(repo, pr)).hdel(this.keys.exclusions(), pullRequestKey(repo, pr)).exec();
  }

  /** A bisection found this head broke a cycle: the PR stays out of staging until a new head or a maintainer's deploy. */
  async exclude(repo: string, pr: number, exclusion: Exclusion): Promise<void> {
    await this.redis.hset(this.keys.exclusions(), pullRequestKey(repo, pr), JSON.stringify(exclusion));
  }

  /** pullRequestKey → the excluded head and why. */
  async exclusions(): Promise<Map<string, Exclusion>> {
    const all = await this.redis.hgetall(this.keys.exclusions());
    return new Map(Object.entries(all).map(([key, raw]) => [key, JSON.parse(raw) as Exclusion]));
  }

  /** The skipped PRs, as pullRequestKey spells them. */
  async skipped(): Promise<Set<string>> {
    return new Set(await this.redis.hkeys(this.keys.skips()));
  }

  /** pullRequestKey → the head SHA a maintainer approved for staging. */
  async approvals(): Promise<Map<string, string>> {
    const all = await this.redis.hgetall(this.keys.approvals());
    return new Map(Object.entries(all).map(([key, raw]) => [key, (JSON.parse(raw) as { sha: string }).sha]));
  }

  async approvedSha(repo: string, pr: number): Promise<string | null> {
    const raw = await this.redis.hget(this.keys.approvals(), pullRequestKey(repo, pr));
    return raw ? (JSON.parse(raw) as { sha: string }).sha : null;
  }

  /** A repository's main head, as the webhooks (and the idle check) brought it. */
  async main(repo: string): Promise<string | null> {
    return this.redis.hget(this.keys.heads(), mainField(repo));
  }

  /**
   * Each configured repository's main + every PR ready for staging (by its repository's rules and
   * required checks), in config order then by number, and the PRs ready but for their checks, with
   * what they wait for. A PR of a repository no longer configured is neither.
   */
  async readySnapshot(rules: ReadyRules): Promise<ReadySnapshot> {
    const [all, approvals, skipped, exclusions] = await Promise.all([this.redis.hgetall(this.keys.heads()), this.approvals(), this.skipped(), this.exclusions()]);
    const heads = Object.entries(all).flatMap(([field, value]) => (field.startsWith('pr:') ? [JSON.parse(value) as PullRequestHead] : []));
    const repositoryOf = (head: PullRequestHead) => rules.repositories.find((r) => r.name.toLowerCase() === head.repo.toLowerCase());
    const [roles, checks] = await Promise.all([resolveRoles(rules.roles, heads.map((h) => h.author)), this.checksOf(heads, rules)]);
    const order = new Map(rules.repositories.map((r, i) => [r.name.toLowerCase(), i]));
    const prs: PrHead[] = [];
    const waiting: WaitingPr[] = [];
    for (const head of heads) {
      const repository = repositoryOf(head);
      if (repository === undefined) continue;
      const verdict = stagingVerdict(
        head,
        stagingRulesOf(repository, rules.now, roles, {
          approvedSha: (pr) => approvals.get(pullRequestKey(pr.repo, pr.number)),
          skippedByCommand: (pr) => skipped.has(pullRequestKey(pr.repo, pr.number)),
          excluded: (pr) => exclusions.get(pullRequestKey(pr.repo, pr.number)),
          checks: (pr) => checks.get(pullRequestKey(pr.repo, pr.number)),
        }),
      );
      const pr = { repo: repository.name, number: head.number, sha: head.sha };
      if (verdict === null) prs.push(pr);
      else if (verdict.rule === 'checks') waiting.push({ ...pr, reason: verdict.reason });
    }
    const byOrder = (a: PrHead, b: PrHead) => order.get(a.repo.toLowerCase())! - order.get(b.repo.toLowerCase())! || a.number - b.number;
    const mains = Object.fromEntries(rules.repositories.map((r) => [r.name, all[mainField(r.name)] ?? null]));
    return { mains, prs: prs.sort(byOrder), waiting: waiting.sort(byOrder) };
  }

  /** Which rule keeps one PR head out of staging and why (null: it goes in), judged as readySnapshot judges it. */
  async verdictOf(head: PullRequestHead, rules: HeadRules): Promise<{ rule: StagingRule; reason: string } | null> {
    const key = pullRequestKey(head.repo, head.number);
    const [approved, skipped, exclusion] = await Promise.all([
      this.approvedSha(head.repo, head.number),
      this.redis.hexists(this.keys.skips(), key),
      this.redis.hget(this.keys.exclusions(), key),
    ]);
    return stagingVerdict(
      head,
      stagingRulesOf(rules.repository, rules.now, rules.roles, {
        approvedSha: () => approved,
        skippedByCommand: () => skipped === 1,
        excluded: () => (exclusion ? (JSON.parse(exclusion) as Exclusion) : undefined),
        checks: () => rules.checks,
      }),
    );
  }

  /** The required checks' verdict of each head whose repository requires any (by pullRequestKey). */
  private async checksOf(heads: PullRequestHead[], rules: ReadyRules): Promise<Map<string, ChecksVerdict>> {
    const verdicts = new Map<string, ChecksVerdict>();
    if (!rules.checks) return verdicts;
    const { required, store } = rules.checks;
    const checked = heads.filter((h) => required.has(h.repo.toLowerCase()));
    const reports = await store.readHeads(checked);
    checked.forEach((head, i) => verdicts.set(pullRequestKey(head.repo, head.number), headChecksVerdict(required.get(head.repo.toLowerCase())!, reports[i]!)));
    return verdicts;
  }

  /** The open PRs of a repository whose head is this commit (a check reports on a commit, not a PR). */
  async prsAtHead(repo: string, sha: string): Promise<PullRequestHead[]> {
    const raws = await this.redis.hgetall(this.keys.heads());
    // The heads field of each of the repository's PRs starts so (see prField).
    const prefix = `pr:${repo.toLowerCase()}#`;
    return Object.entries(raws).flatMap(([field, value]) => {
      if (!field.startsWith(prefix)) return [];
      const head = JSON.parse(value) as PullRequestHead;
      return head.sha === sha ? [head] : [];
    });
  }

  /** Every open PR's head as the webhooks brought it. */
  async openPrs(): Promise<PullRequestHead[]> {
    const raws = await this.redis.hgetall(this.keys.heads());
    return Object.entries(raws).flatMap(([field, value]) => (field.startsWith('pr:') ? [JSON.parse(value) as PullRequestHead] : []));
  }

  async deployed(env: string): Promise<HeadsSnapshot | null> {
    const raw = await this.redis.get(this.keys.deployedHeads(env));
    const parsed = raw ? (JSON.parse(raw) as Partial<HeadsSnapshot>) : null;
    // Written before heads were kept per repository: which repository it meant is not known, so it
    // counts as nothing deployed (the idle check then runs a cycle that records it anew).
    return parsed?.mains ? (parsed as HeadsSnapshot) : null;
  }
}

/** One repository's staging rules, with what is known of its PRs (approvals, skips, exclusions, checks). */
function stagingRulesOf(
  repository: RepositoryRules,
  now: number,
  roles: ReadonlyMap<string, Role>,
  known: Pick<StagingRules, 'approvedSha' | 'skippedByCommand' | 'excluded' | 'checks'>,
): StagingRules {
  return { ...repository, now, trustedAuthor: (login) => (roles.get(login.toLowerCase()) ?? 'untrusted') !== 'untrusted', ...known };
}
