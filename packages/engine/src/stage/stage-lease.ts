import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StagecraftKeys, StageName } from '@stagecraft/queue';
import { LeaseLostError } from './errors/lease-lost-error.js';

/**
 * Takes the lock unless the flag says not to, in one step (so a cancel cannot land between them).
 * KEYS[1]: the lock. KEYS[2] (optional): a flag whose presence refuses the lock (a cycle's cancelled flag).
 * ARGV[1]: the holder's token. ARGV[2]: the lock's TTL in ms.
 * Returns {'refused', the flag's value}, {'held', ''} or {'busy', the current holder's token}.
 */
const ACQUIRE = `
if #KEYS > 1 then
  local flag = redis.call('GET', KEYS[2])
  if flag then return {'refused', flag} end
end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {'held', ''} end
return {'busy', redis.call('GET', KEYS[1]) or ''}
`;

/**
 * Extends the lock if it is still this holder's, and reads the flag in the same step.
 * KEYS[1]: the lock. KEYS[2] (optional): the flag. ARGV[1]: the holder's token. ARGV[2]: the TTL in ms.
 * Returns {1 if still held (and extended) else 0, 1 if the flag is set else 0, the flag's value or ''}.
 */
const RENEW = `
local held = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  held = 1
end
local flag = false
if #KEYS > 1 then flag = redis.call('GET', KEYS[2]) end
if flag then return {held, 1, flag} end
return {held, 0, ''}
`;

/**
 * Deletes the lock only if it is still this holder's (compare-and-delete): a lock that expired and
 * was taken by someone else stays theirs.
 * KEYS[1]: the lock. ARGV[1]: the holder's token. Returns 1 when deleted, else 0.
 */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type ScriptedRedis = Redis & {
  stagecraftLeaseAcquire(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<[string, string]>;
  stagecraftLeaseRenew(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<[number, number, string]>;
  stagecraftLeaseRelease(key: string, token: string): Promise<number>;
};

function scripted(redis: Redis): ScriptedRedis {
  if (!('stagecraftLeaseAcquire' in redis)) {
    redis.defineCommand('stagecraftLeaseAcquire', { lua: ACQUIRE });
    redis.defineCommand('stagecraftLeaseRenew', { lua: RENEW });
    redis.defineCommand('stagecraftLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
  }
  return redis as ScriptedRedis;
}

interface LockOptions {
  ttlMs: number;
  /** How often a waiting holder tries again. */
  pollMs?: number;
  /** A flag that refuses the lock and, while it is held, is read back at every renewal. */
  flagKey?: string;
  /** The flag was found set while the lock was held. */
  onFlag?: (value: string) => void;
  /** Told once, with the holder's token, when the lock is busy. */
  onWait?: (holder: string) => void;
}

/**
 * A Redis lock held under a token, renewed on a chained timer (a renewal is only sent once the
 * previous one answered), and given up as lost as soon as Redis says it is someone else's or when
 * no renewal got through for a whole TTL: from then on another holder may have it.
 */
class RenewedLock {
  private readonly token = `${process.pid}:${randomUUID()}`;
  private readonly lostController = new AbortController();
  /** Aborted (with a LeaseLostError) once the lock cannot be trusted to be this holder's. */
  readonly lost: AbortSignal = this.lostController.signal;
  private held = false;
  private closed = false;
  private renewal: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private lastError: string | null = null;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly key: string,
    private readonly opts: LockOptions,
  ) {}

  private keys(): string[] {
    return this.opts.flagKey ? [this.key, this.opts.flagKey] : [this.key];
  }

  /** 'held', or why not: the flag's value when it refused the lock, or null when `stop` aborted the wait. */
  async acquire(stop: AbortSignal): Promise<{ held: true } | { held: false; refusedBy: string | null }> {
    let toldWait = false;
    while (!stop.aborted && !this.closed) {
      const sentAt = Date.now();
      let reply: [string, string];
      try {
        reply = await this.redis.stagecraftLeaseAcquire(this.keys().length, ...this.keys(), this.token, this.opts.ttlMs);
      } catch (err) {
        // The script may have run with only its reply lost: give back a lock this token may hold.
        await this.redis.stagecraftLeaseRelease(this.key, this.token).catch(() => undefined);
        throw err;
      }
      const [state, value] = reply;
      if (state === 'held') {
        this.held = true;
        this.confirmed(sentAt);
        this.scheduleRenewal();
        return { held: true };
      }
      if (state === 'refused') return { held: false, refusedBy: value };
      if (!toldWait) {
        toldWait = true;
        this.opts.onWait?.(value || 'unknown');
      }
      await sleep(this.opts.pollMs ?? 200, stop);
    }
    return { held: false, refusedBy: null };
  }

  /** Stops renewing and deletes the lock if it is still this holder's. Safe to call on every path, more than once. */
  async release(): Promise<void> {
    this.closed = true;
    clearTimeout(this.renewal);
    clearTimeout(this.deadline);
    if (!this.held) return;
    this.held = false;
    await this.redis.stagecraftLeaseRelease(this.key, this.token);
  }

  private scheduleRenewal(): void {
    this.renewal = setTimeout(() => void this.renew(), Math.max(50, Math.floor(this.opts.ttlMs / 3)));
    this.renewal.unref();
  }

  private async renew(): Promise<void> {
    if (this.closed || this.lost.aborted) return;
    const sentAt = Date.now();
    try {
      const [held, flagged, value] = await this.redis.stagecraftLeaseRenew(this.keys().length, ...this.keys(), this.token, this.opts.ttlMs);
      if (this.closed || this.lost.aborted) return;
      if (flagged === 1) this.opts.onFlag?.(value);
      if (held !== 1) return this.lose('it expired or another holder took it');
      this.lastError = null;
      this.confirmed(sentAt);
    } catch (err) {
      // Not fatal yet: the deadline set by the last renewal that got through decides.
      this.lastError = (err as Error).message;
    }
    if (!this.closed && !this.lost.aborted) this.scheduleRenewal();
  }

  /** Redis extended the lock at or after `sentAt`, so it is ours until at least sentAt + TTL. */
  private confirmed(sentAt: number): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(
      () => this.lose(`no renewal got through for ${this.opts.ttlMs} ms (${this.lastError ?? 'Redis did not answer'})`),
      Math.max(0, sentAt + this.opts.ttlMs - Date.now()),
    );
    this.deadline.unref();
  }

  private lose(why: string): void {
    if (this.closed || this.lost.aborted) return;
    clearTimeout(this.renewal);
    clearTimeout(this.deadline);
    this.lostController.abort(new LeaseLostError(this.key, why));
  }
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });
}

export interface HeldLock {
  /** Aborted when the lock could not be kept: someone else may hold it now, so stop. */
  lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * A renewed lock for work that only needs one holder at a time (the notifier's publishing of a
 * cycle): waits until it is free, or returns null once `signal` aborts.
 */
export async function holdLock(redis: Redis, key: string, opts: { ttlMs: number; pollMs?: number; signal?: AbortSignal }): Promise<HeldLock | null> {
  const lock = new RenewedLock(scripted(redis), key, { ttlMs: opts.ttlMs, ...(opts.pollMs ? { pollMs: opts.pollMs } : {}) });
  const got = await lock.acquire(opts.signal ?? new AbortController().signal);
  if (!got.held) {
    await lock.release();
    return null;
  }
  return { lost: lock.lost, release: () => lock.release() };
}

/** Test fault points: run at the moments a cancel used to slip through. Production passes none. */
export interface LeaseFaults {
  /** Right after the cycle's cancelled flag was read. */
  afterCancelCheck?: () => Promise<void>;
  /** Right after the stage lock was taken. */
  afterAcquire?: () => Promise<void>;
}

export interface StageLeaseSettings {
  /** For the lock and the cancelled flag. */
  redis: Redis;
  /** A connection of its own: it is put in subscriber mode on the cancel channel. */
  subscriber: Redis;
  keys: StagecraftKeys;
  /** The lock's TTL: a stage that could not renew its lock for this long is stopped. */
  ttlMs: number;
  pollMs?: number;
  faults?: LeaseFaults;
}

/**
 * The stage leases of one worker process. A cycle's cancel is broadcast on a Redis channel
 * (BullMQ's cancelJob only reaches jobs of its own process) and read back from the cycle's
 * cancelled flag at every renewal, so a message lost while the subscriber reconnected still counts.
 */
export class StageLeases {
  private readonly listening = new Map<string, Set<StageLease>>();
  private readonly redis: ScriptedRedis;

  private constructor(private readonly settings: StageLeaseSettings) {
    this.redis = scripted(settings.redis);
  }

  static async start(settings: StageLeaseSettings): Promise<StageLeases> {
    const leases = new StageLeases(settings);
    const channel = settings.keys.cancelChannel();
    settings.subscriber.on('message', (ch: string, cycleId: string) => {
      if (ch === channel) for (const lease of leases.listening.get(cycleId) ?? []) lease.cancel('the scheduler cancelled it');
    });
    await settings.subscriber.subscribe(channel);
    return leases;
  }

  /**
   * A lease for one stage of one cycle, listening for the cycle's cancel from this moment on, before
   * anything reads the cancelled flag. Close it on every path (it releases the lock if held).
   */
  open(req: { cycleId: string; env: string; stage: StageName; jobSignal: AbortSignal | undefined; onWait?: (holder: string) => void }): StageLease {
    const lease = new StageLease(this.redis, this.settings, req, () => {
      const set = this.listening.get(req.cycleId);
      set?.delete(lease);
      if (set?.size === 0) this.listening.delete(req.cycleId);
    });
    const set = this.listening.get(req.cycleId) ?? new Set();
    set.add(lease);
    this.listening.set(req.cycleId, set);
    return lease;
  }

  async close(): Promise<void> {
    this.settings.subscriber.disconnect();
  }
}

/**
 * One holder per stage and environment across every process, for as long as the stage runs. The
 * cycle state already allows one cycle at a time; this covers a job BullMQ runs again while the
 * worker it was taken from may still be running its command.
 */
export class StageLease {
  private readonly cancelController = new AbortController();
  private readonly lock: RenewedLock;
  /** What the executor sees: aborted on the cycle's cancel, the job's own signal, or a lost lock. */
  readonly signal: AbortSignal;
  /** Why the cycle was cancelled, once it was. */
  cancelledBecause: string | null = null;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly settings: StageLeaseSettings,
    private readonly req: { cycleId: string; env: string; stage: StageName; jobSignal: AbortSignal | undefined; onWait?: (holder: string) => void },
    private readonly unregister: () => void,
  ) {
    this.lock = new RenewedLock(redis, settings.keys.stageLock(req.stage, req.env), {
      ttlMs: settings.ttlMs,
      ...(settings.pollMs ? { pollMs: settings.pollMs } : {}),
      flagKey: settings.keys.cycleCancelled(req.cycleId),
      onFlag: (reason) => this.cancel(reason),
      ...(req.onWait ? { onWait: req.onWait } : {}),
    });
    this.signal = AbortSignal.any([this.cancelController.signal, this.lock.lost, ...(req.jobSignal ? [req.jobSignal] : [])]);
  }

  /** The lock was lost while held (the LeaseLostError says why), or null. */
  lostBecause(): Error | null {
    return this.lock.lost.aborted ? (this.lock.lost.reason as Error) : null;
  }

  cancel(reason: string): void {
    this.cancelledBecause ??= reason;
    this.cancelController.abort(new Error(`cycle ${this.req.cycleId} was cancelled (${reason})`));
  }

  /** The cycle's cancel reason if it is cancelled already (read after the lease started listening). */
  async checkCancelled(): Promise<string | null> {
    const flag = await this.redis.get(this.settings.keys.cycleCancelled(this.req.cycleId));
    if (flag !== null) this.cancel(flag);
    await this.settings.faults?.afterCancelCheck?.();
    return this.cancelledBecause;
  }

  /**
   * Waits for the stage lock. 'held': the stage may run (check `signal` first: a cancel may have
   * come in meanwhile); 'cancelled': the cycle was cancelled; 'stopped': the job's signal aborted.
   */
  async acquire(): Promise<'held' | 'cancelled' | 'stopped'> {
    const stop = AbortSignal.any([this.cancelController.signal, ...(this.req.jobSignal ? [this.req.jobSignal] : [])]);
    const got = await this.lock.acquire(stop);
    if (got.held) {
      await this.settings.faults?.afterAcquire?.();
      return 'held';
    }
    if (got.refusedBy !== null) this.cancel(got.refusedBy);
    return this.cancelledBecause !== null ? 'cancelled' : 'stopped';
  }

  /** Stops listening and renewing, and releases the lock if it is still held. */
  async close(): Promise<void> {
    this.unregister();
    await this.lock.release();
  }
}
