import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';
import { isReadyForStaging, type StagingRules } from '@stagecraft/policy';
import type { HeadsSnapshot, PullRequestHead } from './pull-request-head.js';
import { resolveRoles, type RoleResolver } from '../scheduler/role-resolver.js';

/** What decides which PRs are ready, besides what this store knows (heads, approvals, skips). */
export type ReadyRules = Pick<StagingRules, 'mainBranch' | 'skipLabel' | 'maxAgeMs' | 'now'> & { roles: RoleResolver };
import { APPLY_HEADS_LUA, headsUpdatesArg } from './apply-heads-lua.js';
import type { HeadsUpdate } from './heads-update.js';

type ScriptedRedis = Redis & { stagecraftApplyHeads(headsKey: string, closedKey: string, updates: string): Promise<number> };

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
  async forgetPr(pr: number): Promise<void> {
    await this.redis
      .multi()
      .hdel(this.keys.approvals(), String(pr))
      .hdel(this.keys.skips(), String(pr))
      .del(this.keys.prComment(pr), this.keys.conflictsTold(pr))
      .exec();
  }

  /** The PRs whose head is known (open as far as Stagecraft was told). */
  async prNumbers(): Promise<number[]> {
    const fields = await this.redis.hkeys(this.keys.heads());
    return fields.flatMap((f) => (f.startsWith('pr:') ? [Number(f.slice(3))] : []));
  }

  async getPr(pr: number): Promise<PullRequestHead | null> {
    const raw = await this.redis.hget(this.keys.heads(), `pr:${pr}`);
    return raw ? (JSON.parse(raw) as PullRequestHead) : null;
  }

  /** A maintainer's deploy command covers exactly this head SHA. */
  async approve(pr: number, sha: string, by: string): Promise<void> {
    await this.redis.hset(this.keys.approvals(), String(pr), JSON.stringify({ sha, by, at: Date.now() }));
  }

  /** `@bot skip`: the PR stays out of staging until a maintainer's deploy. */
  async skip(pr: number, by: string): Promise<void> {
    await this.redis.hset(this.keys.skips(), String(pr), by);
  }

  async unskip(pr: number): Promise<void> {
    await this.redis.hdel(this.keys.skips(), String(pr));
  }

  async skipped(): Promise<Set<number>> {
    return new Set((await this.redis.hkeys(this.keys.skips())).map(Number));
  }

  /** PR number → the head SHA a maintainer approved for staging. */
  async approvals(): Promise<Map<number, string>> {
    const all = await this.redis.hgetall(this.keys.approvals());
    return new Map(Object.entries(all).map(([pr, raw]) => [Number(pr), (JSON.parse(raw) as { sha: string }).sha]));
  }

  async approvedSha(pr: number): Promise<string | null> {
    const raw = await this.redis.hget(this.keys.approvals(), String(pr));
    return raw ? (JSON.parse(raw) as { sha: string }).sha : null;
  }

  /** main + every PR ready for staging (isReadyForStaging), by number. */
  async readySnapshot(rules: ReadyRules): Promise<HeadsSnapshot> {
    const [all, approvals, skipped] = await Promise.all([this.redis.hgetall(this.keys.heads()), this.approvals(), this.skipped()]);
    const heads = Object.entries(all).flatMap(([field, value]) => (field.startsWith('pr:') ? [JSON.parse(value) as PullRequestHead] : []));
    const roles = await resolveRoles(rules.roles, heads.map((h) => h.author));
    const prs = heads
      .filter((head) =>
        isReadyForStaging(head, {
          ...rules,
          trustedAuthor: (login) => (roles.get(login.toLowerCase()) ?? 'untrusted') !== 'untrusted',
          approvedSha: (pr) => approvals.get(pr),
          skippedByCommand: (pr) => skipped.has(pr),
        }),
      )
      .map((head) => ({ number: head.number, sha: head.sha }))
      .sort((a, b) => a.number - b.number);
    return { main: all['main'] ?? null, prs };
  }

  async deployed(env: string): Promise<HeadsSnapshot | null> {
    const raw = await this.redis.get(this.keys.deployedHeads(env));
    return raw ? (JSON.parse(raw) as HeadsSnapshot) : null;
  }
}
