import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { HeadsSnapshot, PullRequestHead } from './pull-request-head.js';
import { roleOf, type TrustLists } from '../scheduler/trust-lists.js';
import type { RoleResolver } from '../scheduler/role-resolver.js';

/** What Stagecraft has learned from webhooks about main and the open PRs, plus deploy approvals. */
export class HeadsStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
  ) {}

  async setMain(sha: string): Promise<void> {
    await this.redis.hset(this.keys.heads(), 'main', sha);
  }

  async upsertPr(head: PullRequestHead): Promise<void> {
    await this.redis.hset(this.keys.heads(), `pr:${head.number}`, JSON.stringify(head));
  }

  /** A closed (or merged) PR: everything kept about it goes with it, its approval, skip and notifier bookkeeping too. */
  async removePr(pr: number): Promise<void> {
    await this.redis
      .multi()
      .hdel(this.keys.heads(), `pr:${pr}`)
      .hdel(this.keys.approvals(), String(pr))
      .hdel(this.keys.skips(), String(pr))
      .del(this.keys.prComment(pr), this.keys.conflictsTold(pr))
      .exec();
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

  /** main + every open, non-draft PR against main whose author is trusted or whose head is approved. */
  async readySnapshot(opts: { trust: TrustLists; mainBranch: string; roles?: RoleResolver }): Promise<HeadsSnapshot> {
    const [all, approvals, skipped] = await Promise.all([
      this.redis.hgetall(this.keys.heads()),
      this.redis.hgetall(this.keys.approvals()),
      this.skipped(),
    ]);
    const prs: HeadsSnapshot['prs'] = [];
    for (const [field, value] of Object.entries(all)) {
      if (!field.startsWith('pr:')) continue;
      const head = JSON.parse(value) as PullRequestHead;
      if (head.draft || head.baseRef !== opts.mainBranch || skipped.has(head.number)) continue;
      const approval = approvals[String(head.number)];
      const approved = approval !== undefined && (JSON.parse(approval) as { sha: string }).sha === head.sha;
      if (!approved && (opts.roles ? await opts.roles.roleOf(head.author) : roleOf(head.author, opts.trust)) === 'untrusted') continue;
      prs.push({ number: head.number, sha: head.sha });
    }
    prs.sort((a, b) => a.number - b.number);
    return { main: all['main'] ?? null, prs };
  }

  async recordDeployed(env: string, snapshot: HeadsSnapshot): Promise<void> {
    await this.redis.set(this.keys.deployedHeads(env), JSON.stringify(snapshot));
  }

  async deployed(env: string): Promise<HeadsSnapshot | null> {
    const raw = await this.redis.get(this.keys.deployedHeads(env));
    return raw ? (JSON.parse(raw) as HeadsSnapshot) : null;
  }
}
