import type { Redis } from 'ioredis';
import type { CheckReport, StagecraftKeys } from '@stagecraft/queue';
import { MERGE_CHECKS_LUA } from './merge-checks-lua.js';

/** How long a commit's checks are kept after their last write (renewed while an open PR has the commit as its head). */
export const HEAD_CHECKS_RETENTION_MS = 30 * 24 * 3600 * 1000;

type ScriptedRedis = Redis & { stagecraftMergeChecks(key: string, ttlMs: number, eventId: string, ...reports: Array<string | number>): Promise<[string[], string[]]> };

/** What a merge found and left: the commit's checks before it and after it. */
export interface ChecksMerge {
  before: CheckReport[];
  after: CheckReport[];
}

/**
 * The check runs and commit statuses reported on each commit of a configured repository, from
 * checks webhooks and from reading GitHub: the latest state of each name, so a PR head's required
 * checks can be judged without asking GitHub every time.
 */
export class HeadChecksStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StagecraftKeys,
    private readonly retentionMs = HEAD_CHECKS_RETENTION_MS,
  ) {
    if (!('stagecraftMergeChecks' in redis)) redis.defineCommand('stagecraftMergeChecks', { numberOfKeys: 1, lua: MERGE_CHECKS_LUA });
    this.redis = redis as ScriptedRedis;
  }

  /**
   * Merges `reports` (each kept only if newer than what its name holds); `eventId` makes a re-run of
   * the same event answer the same `before` (null for a read from GitHub, which has nothing to replay).
   */
  async merge(repo: string, sha: string, reports: readonly CheckReport[], eventId: string | null): Promise<ChecksMerge> {
    const args = reports.flatMap((r) => [fieldOf(r), JSON.stringify({ state: r.state, at: r.at }), r.at, r.state]);
    const [before, after] = await this.redis.stagecraftMergeChecks(this.keys.headChecks(repo, sha), this.retentionMs, eventId ?? '', ...args);
    return { before: reportsOf(before), after: reportsOf(after) };
  }

  /** Each head's checks, in the order asked; each existing hash lives on for the retention (its head is an open PR's). */
  async readHeads(heads: ReadonlyArray<{ repo: string; sha: string }>): Promise<CheckReport[][]> {
    if (heads.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const head of heads) {
      const key = this.keys.headChecks(head.repo, head.sha);
      pipeline.hgetall(key).pexpire(key, this.retentionMs);
    }
    const results = (await pipeline.exec()) ?? [];
    return heads.map((_, i) => {
      const [err, hash] = results[i * 2] ?? [null, {}];
      if (err) throw err;
      return reportsOf(Object.entries((hash ?? {}) as Record<string, string>).flat());
    });
  }
}

function fieldOf(report: Pick<CheckReport, 'type' | 'name'>): string {
  return `${report.type}:${report.name}`;
}

/** Check fields (field, value, …) as reports; other fields (an event's memory) are not checks. */
function reportsOf(flat: readonly string[]): CheckReport[] {
  const reports: CheckReport[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    const colon = field.indexOf(':');
    const type = field.slice(0, colon);
    if (type !== 'run' && type !== 'status') continue;
    const { state, at } = JSON.parse(flat[i + 1]!) as Pick<CheckReport, 'state' | 'at'>;
    reports.push({ type, name: field.slice(colon + 1), state, at });
  }
  return reports;
}
