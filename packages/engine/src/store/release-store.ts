import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { ReleaseRecord } from './release-record.js';

/** Releases per environment, newest first, the oldest dropped past `keep`. */
export class ReleaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
  ) {}

  /** Idempotent: a replayed finalize keeps the first record. */
  async record(release: ReleaseRecord, keep: number): Promise<void> {
    const created = await this.redis.set(this.keys.release(release.id), JSON.stringify(release), 'NX');
    if (created !== 'OK') return;
    await this.redis.zadd(this.keys.releaseIndex(release.env), release.createdAt, release.id);
    const excess = (await this.redis.zcard(this.keys.releaseIndex(release.env))) - keep;
    if (excess <= 0) return;
    const old = await this.redis.zrange(this.keys.releaseIndex(release.env), 0, excess - 1);
    const tx = this.redis.multi();
    for (const id of old) tx.del(this.keys.release(id)).zrem(this.keys.releaseIndex(release.env), id);
    await tx.exec();
  }

  async get(id: string): Promise<ReleaseRecord | null> {
    const json = await this.redis.get(this.keys.release(id));
    return json ? (JSON.parse(json) as ReleaseRecord) : null;
  }

  async list(env: string, limit = 50): Promise<ReleaseRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.releaseIndex(env), 0, limit - 1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((r): r is ReleaseRecord => r !== null);
  }

  /** A release named by id, or by a staging, main or PR head SHA (a prefix of 7+ characters). */
  async find(env: string, ref: string): Promise<ReleaseRecord | null> {
    const byId = await this.get(ref);
    if (byId) return byId.env === env ? byId : null;
    if (!/^[0-9a-f]{7,40}$/i.test(ref)) return null;
    const sha = ref.toLowerCase();
    const matches = (s: string | null) => s !== null && s.toLowerCase().startsWith(sha);
    return (await this.list(env, 1000)).find((r) => matches(r.stagingSha) || matches(r.mainSha) || r.prs.some((p) => matches(p.sha))) ?? null;
  }
}
