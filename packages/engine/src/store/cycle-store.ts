import type { Redis } from 'ioredis';
import { STAGE_NAMES, type StageResult, type StagecraftKeys } from '@stagecraft/queue';
import type { CycleRecord, CycleState, RunningStage } from './cycle-record.js';

type CycleHeader = Omit<CycleRecord, 'stages' | 'runningStage'>;

// Kept in the stages hash, not the header, so marking a stage never races a header update.
const RUNNING = 'running';
// Records written before the header had one field per property kept it whole in this field.
const LEGACY_HEADER = 'header';

/**
 * Writes the record's fields unless it exists (a replayed start keeps the first record).
 * KEYS[1]: the cycle's header hash. ARGV: field, JSON value, field, JSON value, ... Returns 1 when created.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

/**
 * Sets only the given fields of an existing record, so concurrent updates of different fields
 * (the scheduler's cancel, compose's composition) all land.
 * KEYS[1]: the cycle's header hash. ARGV: field, JSON value, ... Returns 0 when there is no such record.
 */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

/**
 * Records a stage's result unless one is recorded already: the first result stands, so a run that
 * lost its lock cannot overwrite the result of the run that took over. Clears the running marker
 * when it is this stage's.
 * KEYS[1]: the cycle's stages hash. ARGV[1]: the stage. ARGV[2]: the result (JSON).
 * Returns nil when this result was recorded, else the result recorded before.
 */
const RECORD_STAGE = `
local running = redis.call('HGET', KEYS[1], '${RUNNING}')
if running and cjson.decode(running).stage == ARGV[1] then redis.call('HDEL', KEYS[1], '${RUNNING}') end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return false end
return redis.call('HGET', KEYS[1], ARGV[1])
`;

type ScriptedRedis = Redis & {
  stagecraftCreateCycle(key: string, ...fieldsAndValues: string[]): Promise<number>;
  stagecraftUpdateCycle(key: string, ...fieldsAndValues: string[]): Promise<number>;
  stagecraftRecordStage(key: string, stage: string, result: string): Promise<string | null>;
};

/**
 * Cycle records: a header hash with one field per property (JSON values) plus a hash with one field
 * per stage, so the scheduler and the stage workers update a record without reading it first and
 * none of their writes is lost.
 */
export class CycleStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StagecraftKeys,
    private readonly retention = 500,
  ) {
    if (!('stagecraftCreateCycle' in redis)) {
      redis.defineCommand('stagecraftCreateCycle', { numberOfKeys: 1, lua: CREATE });
      redis.defineCommand('stagecraftUpdateCycle', { numberOfKeys: 1, lua: UPDATE });
      redis.defineCommand('stagecraftRecordStage', { numberOfKeys: 1, lua: RECORD_STAGE });
    }
    this.redis = redis as ScriptedRedis;
  }

  /** Idempotent: a replayed start keeps the first record. */
  async create(record: CycleHeader): Promise<void> {
    const created = await this.redis.stagecraftCreateCycle(this.keys.cycle(record.id), ...fieldsOf(record));
    if (created === 0) return;
    await this.redis
      .multi()
      .zadd(this.keys.cycleIndex(record.env), record.startedAt, record.id)
      .zadd(this.keys.cycleIndexAll(), record.startedAt, record.id)
      .exec();
    await this.trim(record.env);
  }

  async get(id: string): Promise<CycleRecord | null> {
    const [fields, stages] = await Promise.all([this.redis.hgetall(this.keys.cycle(id)), this.redis.hgetall(this.keys.cycleStages(id))]);
    if (Object.keys(fields).length === 0) return null;
    const header: Record<string, unknown> = fields[LEGACY_HEADER] ? (JSON.parse(fields[LEGACY_HEADER]) as Record<string, unknown>) : {};
    for (const [field, value] of Object.entries(fields)) if (field !== LEGACY_HEADER) header[field] = JSON.parse(value);
    const ordered = STAGE_NAMES.flatMap((s) => (stages[s] ? [JSON.parse(stages[s]) as StageResult] : []));
    const running = stages[RUNNING] ? (JSON.parse(stages[RUNNING]) as RunningStage) : null;
    return { ...(header as unknown as CycleHeader), stages: ordered, runningStage: running };
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

  /** Records the stage's result; returns the result recorded before instead when there is one (it stands). */
  async recordStage(cycleId: string, result: StageResult): Promise<StageResult | null> {
    const earlier = await this.redis.stagecraftRecordStage(this.keys.cycleStages(cycleId), result.stage, JSON.stringify(result));
    return earlier === null ? null : (JSON.parse(earlier) as StageResult);
  }

  /** Sets the given fields, each on its own: a concurrent update of other fields keeps its values. */
  async update(cycleId: string, patch: Partial<CycleHeader>): Promise<CycleRecord | null> {
    const fields = fieldsOf(patch);
    if (fields.length > 0 && (await this.redis.stagecraftUpdateCycle(this.keys.cycle(cycleId), ...fields)) === 0) return null;
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

/** field, JSON value, field, JSON value, ... for the properties that are set. */
function fieldsOf(header: Partial<CycleHeader>): string[] {
  return Object.entries(header).flatMap(([field, value]) => (value === undefined ? [] : [field, JSON.stringify(value)]));
}
