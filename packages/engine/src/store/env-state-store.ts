import type { Redis } from 'ioredis';
import { initialEnvState, type EnvState } from '@stagecraft/policy';
import type { StagecraftKeys } from '@stagecraft/queue';
import { APPLY_HEADS_LUA, headsUpdatesArg } from './apply-heads-lua.js';
import type { HeadsUpdate } from './heads-update.js';
import type { OutboxAction } from './outbox-action.js';
import type { HeadsSnapshot } from './pull-request-head.js';

export interface StoredEnvState {
  state: EnvState;
  version: number;
  /** Actions committed with the last transition that may not have been applied yet. */
  outbox: OutboxAction[];
}

export type CommitOutcome = 'committed' | 'conflict' | 'duplicate';

/** What a decision changes beside the state, in the same commit. */
export interface CommitEffects {
  /** Head updates the event brings; each moves its ref only forward (see HeadOrder). */
  heads?: HeadsUpdate[];
  /** What the environment's last successful deploy put there. */
  deployed?: HeadsSnapshot | null;
}

/*
 * Commits one decision in one round trip: refuses an event already applied and a stale version,
 * else writes the new state with its actions (the outbox), the event's head updates and what is
 * now deployed together, so a crash between commit and apply loses nothing and a re-run event
 * changes nothing.
 *
 * Input:
 *   KEYS[1] the environment's state hash (version, state, outbox)
 *   KEYS[2] the applied-event marker of this event
 *   KEYS[3] the heads hash
 *   KEYS[4] the closed-PR sorted set
 *   KEYS[5] the environment's deployed heads
 *   ARGV[1] the version the decision was made from
 *   ARGV[2] the new state (JSON)
 *   ARGV[3] the outbox (JSON)
 *   ARGV[4] how long the applied-event marker lives (ms)
 *   ARGV[5] '1': the event has an id, refuse it when already applied
 *   ARGV[6] head updates (JSON, see applyHeads)
 *   ARGV[7] the deployed heads (JSON), or '' to leave them
 *
 * Output:
 *   -1 the event was applied before
 *    0 the version moved on (another replica committed first)
 *   the new version otherwise
 */
const COMMIT_SCRIPT = `${APPLY_HEADS_LUA}
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', v + 1, 'state', ARGV[2], 'outbox', ARGV[3])
if ARGV[5] == '1' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[4]) end
applyHeads(KEYS[3], KEYS[4], ARGV[6])
if ARGV[7] ~= '' then redis.call('SET', KEYS[5], ARGV[7]) end
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
    headsKey: string,
    closedKey: string,
    deployedKey: string,
    version: number,
    state: string,
    outbox: string,
    appliedTtlMs: number,
    checkApplied: '0' | '1',
    heads: string,
    deployed: string,
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
      redis.defineCommand('stagecraftCommitEnvState', { numberOfKeys: 5, lua: COMMIT_SCRIPT });
      redis.defineCommand('stagecraftClearOutbox', { numberOfKeys: 1, lua: CLEAR_OUTBOX_SCRIPT });
    }
    this.redis = redis as ScriptedRedis;
  }

  async load(env: string): Promise<StoredEnvState> {
    const [version, state, outbox] = await this.redis.hmget(this.keys.envState(env), 'version', 'state', 'outbox');
    return {
      version: version ? Number(version) : 0,
      // Fields added to EnvState later (carry) start from their initial value in older records.
      state: state ? { ...initialEnvState(env), ...(JSON.parse(state) as EnvState) } : initialEnvState(env),
      outbox: outbox ? (JSON.parse(outbox) as OutboxAction[]) : [],
    };
  }

  async commit(
    env: string,
    expectedVersion: number,
    state: EnvState,
    actions: OutboxAction[],
    eventId: string | null,
    effects: CommitEffects = {},
  ): Promise<{ outcome: CommitOutcome; version: number }> {
    const result = await this.redis.stagecraftCommitEnvState(
      this.keys.envState(env),
      this.keys.appliedEvent(env, eventId ?? '-'),
      this.keys.heads(),
      this.keys.headsClosed(),
      this.keys.deployedHeads(env),
      expectedVersion,
      JSON.stringify(state),
      JSON.stringify(actions),
      this.appliedTtlMs,
      eventId ? '1' : '0',
      headsUpdatesArg(effects.heads ?? []),
      effects.deployed ? JSON.stringify(effects.deployed) : '',
    );
    if (result === -1) return { outcome: 'duplicate', version: expectedVersion };
    if (result === 0) return { outcome: 'conflict', version: expectedVersion };
    return { outcome: 'committed', version: result };
  }

  async clearOutbox(env: string, version: number): Promise<void> {
    await this.redis.stagecraftClearOutbox(this.keys.envState(env), version);
  }
}
