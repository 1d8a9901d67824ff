import type { Redis } from 'ioredis';
import { STAGE_NAMES, type StageResult, type StagecraftKeys } from '@stagecraft/queue';
import type { CycleRecord, CycleState, RunningStage } from './cycle-record.js';

type CycleHeader = Omit<CycleRecord, 'stages' | 'runningStage'>;

// Kept in the stages hash, not the header, so marking a stage never races a header update.
const RUNNING = 'running';

/** Cycle records: a JSON header plus one hash field per stage, so stage workers never race on one blob. */
export class CycleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
    private readonly retention = 500,
  ) {}

  /** Idempotent: a replayed start keeps the first record. */
  async create(record: CycleHeader): Promise<void> {
    const key = this.keys.cycle(record.id);
    const created = await this.redis.hsetnx(key, 'header', JSON.stringify(record));
    if (created === 0) return;
    await this.redis
      .multi()
      .zadd(this.keys.cycleIndex(record.env), record.startedAt, record.id)
      .zadd(this.keys.cycleIndexAll(), record.startedAt, record.id)
      .exec();
    await this.trim(record.env);
  }

  async get(id: string): Promise<CycleRecord | null> {
    const [header, stages] = await Promise.all([
      this.redis.hget(this.keys.cycle(id), 'header'),
      this.redis.hgetall(this.keys.cycleStages(id)),
    ]);
    if (!header) return null;
    const parsed = JSON.parse(header) as CycleHeader;
    const ordered = STAGE_NAMES.flatMap((s) => (stages[s] ? [JSON.parse(stages[s]) as StageResult] : []));
    const running = stages[RUNNING] ? (JSON.parse(stages[RUNNING]) as RunningStage) : null;
    return { ...parsed, stages: ordered, runningStage: running };
  }

  async list(opts: { env?: string; limit?: number } = {}): Promise<CycleRecord[]> {
    const index = opts.env ? this.keys.cycleIndex(opts.env) : this.keys.cycleIndexAll();
    const ids = await this.redis.zrevrange(index, 0, (opts.limit ?? 50) - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is CycleRecord => r !== null);
  }

  async markRunning(cycleId: string, running: RunningStage): Promise<void> {
    await this.redis.hset(this.keys.cycleStages(cycleId), RUNNING, JSON.stringify(running));
  }

  async recordStage(cycleId: string, result: StageResult): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.cycleStages(cycleId), result.stage, JSON.stringify(result))
      .hdel(this.keys.cycleStages(cycleId), RUNNING)
      .exec();
  }

  async update(cycleId: string, patch: Partial<CycleHeader>): Promise<CycleRecord | null> {
    const key = this.keys.cycle(cycleId);
    const header = await this.redis.hget(key, 'header');
    if (!header) return null;
    const next = { ...(JSON.parse(header) as CycleHeader), ...patch };
    await this.redis.hset(key, 'header', JSON.stringify(next));
    return this.get(cycleId);
  }

  async finish(cycleId: string, state: Exclude<CycleState, 'running'>, finishedAt: number) {
    return this.update(cycleId, { state, finishedAt });
  }

  private async trim(env: string): Promise<void> {
    const excess = (await this.redis.zcard(this.keys.cycleIndex(env))) - this.retention;
    if (excess <= 0) return;
    const old = await this.redis.zrange(this.keys.cycleIndex(env), 0, excess - 1);
    const tx = this.redis.multi();
    for (const id of old) {
      tx.del(this.keys.cycle(id), this.keys.cycleStages(id), this.keys.cycleCancelled(id));
      tx.zrem(this.keys.cycleIndex(env), id).zrem(this.keys.cycleIndexAll(), id);
    }
    await tx.exec();
  }
}
