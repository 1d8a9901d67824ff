import type { Redis } from 'ioredis';
import type { StagecraftKeys } from '@stagecraft/queue';

export type AuditStep = 'asked' | 'approved' | 'refused' | 'rejected' | 'cancelled' | 'expired' | 'delayed' | 'override' | 'deploying' | 'deployed' | 'failed' | 'rolled-back' | 'released';

export interface AuditEntry {
  /** The stream entry id (time-ordered). */
  id: string;
  at: number;
  env: string;
  step: AuditStep;
  by: string | null;
  request: string | null;
  release: string | null;
  message: string;
}

/** The append-only record of every promotion step: a Redis stream trimmed to about `retention` entries. */
export class ReleaseAuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
    private readonly retention = 10_000,
  ) {}

  async append(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.redis.xadd(this.keys.releaseAudit(), 'MAXLEN', '~', this.retention, '*', 'entry', JSON.stringify(entry));
  }

  /** Newest first. */
  async list(opts: { env?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = opts.limit ?? 100;
    const entries: AuditEntry[] = [];
    let end = '+';
    while (entries.length < limit) {
      const batch = await this.redis.xrevrange(this.keys.releaseAudit(), end, '-', 'COUNT', 200);
      for (const [id, fields] of batch) {
        if (`(${id}` === end) continue;
        const json = fields[fields.indexOf('entry') + 1];
        if (!json) continue;
        const entry = { id, ...(JSON.parse(json) as Omit<AuditEntry, 'id'>) };
        if (!opts.env || entry.env === opts.env) entries.push(entry);
        if (entries.length >= limit) break;
      }
      if (batch.length < 200) break;
      end = `(${batch[batch.length - 1]![0]}`;
    }
    return entries;
  }
}
