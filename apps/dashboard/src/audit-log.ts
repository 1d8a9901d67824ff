import type { Redis } from 'ioredis';

export interface AuditEntry {
  at: number;
  by: string;
  action: string;
  result: string;
}

/** What people did through the dashboard, newest first, kept to the last `keep` entries. */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly keep = 200,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.redis.multi().lpush(this.key, JSON.stringify(entry)).ltrim(this.key, 0, this.keep - 1).exec();
  }

  async recent(limit = 20): Promise<AuditEntry[]> {
    return (await this.redis.lrange(this.key, 0, limit - 1)).map((e) => JSON.parse(e) as AuditEntry);
  }
}
