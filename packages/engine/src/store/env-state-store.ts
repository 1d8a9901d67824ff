import type { Redis } from 'ioredis';
import { initialEnvState, type EnvState, type PolicyAction } from '@stagecraft/policy';
import type { StagecraftKeys } from '@stagecraft/queue';

export interface StoredEnvState {
  state: EnvState;
  version: number;
  /** Actions committed with the last transition that may not have been applied yet. */
  outbox: PolicyAction[];
}

export type CommitOutcome = 'committed' | 'conflict' | 'duplicate';

// One round trip: refuse an event already applied, refuse a stale version, else write the new
// state and its actions (the outbox) together, so a crash between commit and apply loses nothing.
const COMMIT_SCRIPT = `
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', v + 1, 'state', ARGV[2], 'outbox', ARGV[3])
if ARGV[5] == '1' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[4]) end
return v + 1
`;

const CLEAR_OUTBOX_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'outbox', '[]')
  return 1
end
return 0
`;

type ScriptedRedis = Redis & {
  stagecraftCommitEnvState(
    stateKey: string,
    appliedKey: string,
    version: number,
    state: string,
    outbox: string,
    appliedTtlMs: number,
    checkApplied: '0' | '1',
  ): Promise<number>;
  stagecraftClearOutbox(stateKey: string, version: number): Promise<number>;
};

/** Per-environment policy state with optimistic concurrency, shared by every scheduler replica. */
export class EnvStateStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StagecraftKeys,
    private readonly appliedTtlMs = 24 * 3600 * 1000,
  ) {
    if (!('stagecraftCommitEnvState' in redis)) {
      redis.defineCommand('stagecraftCommitEnvState', { numberOfKeys: 2, lua: COMMIT_SCRIPT });
      redis.defineCommand('stagecraftClearOutbox', { numberOfKeys: 1, lua: CLEAR_OUTBOX_SCRIPT });
    }
    this.redis = redis as ScriptedRedis;
  }

  async load(env: string): Promise<StoredEnvState> {
    const [version, state, outbox] = await this.redis.hmget(this.keys.envState(env), 'version', 'state', 'outbox');
    return {
      version: version ? Number(version) : 0,
      state: state ? (JSON.parse(state) as EnvState) : initialEnvState(env),
      outbox: outbox ? (JSON.parse(outbox) as PolicyAction[]) : [],
    };
  }

  async commit(
    env: string,
    expectedVersion: number,
    state: EnvState,
    actions: PolicyAction[],
    eventId: string | null,
  ): Promise<{ outcome: CommitOutcome; version: number }> {
    const result = await this.redis.stagecraftCommitEnvState(
      this.keys.envState(env),
      this.keys.appliedEvent(env, eventId ?? '-'),
      expectedVersion,
      JSON.stringify(state),
      JSON.stringify(actions),
      this.appliedTtlMs,
      eventId ? '1' : '0',
    );
    if (result === -1) return { outcome: 'duplicate', version: expectedVersion };
    if (result === 0) return { outcome: 'conflict', version: expectedVersion };
    return { outcome: 'committed', version: result };
  }

  async clearOutbox(env: string, version: number): Promise<void> {
    await this.redis.stagecraftClearOutbox(this.keys.envState(env), version);
  }
}
