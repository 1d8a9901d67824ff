import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { HAND_BACK, StageHandedBackError, type ExecutorOutcome, type StageExecutor } from '@stagecraft/executors';
import { stagecraftKeys, deletePrefixedKeys, type StageJob, type StageResult } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import { CycleStore } from '../store/cycle-store.js';
import { REDIS_URL } from '../testing/engine-harness.js';
import { startPausableTcpProxy, type PausableTcpProxy } from '../testing/pausable-tcp-proxy.js';
import { runStage } from './run-stage.js';
import { StageLeases, type LeaseFaults } from './stage-lease.js';

const TTL_MS = 600;
const CYCLE = 'staging-1';

/** An executor that runs until its signal aborts (or it is released), and remembers when and why it stopped. */
class WatchedExecutor implements StageExecutor {
  readonly description = 'watched';
  calls = 0;
  startedAt: number | null = null;
  abortedAt: number | null = null;
  abortReason: unknown = null;
  private finish: (() => void) | null = null;
  private started: Array<() => void> = [];

  constructor(private readonly opts: { throws?: Error } = {}) {}

  whenStarted(): Promise<void> {
    return this.startedAt !== null ? Promise.resolve() : new Promise((resolve) => this.started.push(resolve));
  }

  release(): void {
    this.finish?.();
  }

  async run(_ctx: unknown, io: { signal: AbortSignal }): Promise<ExecutorOutcome> {
    this.calls++;
    this.startedAt = Date.now();
    for (const s of this.started.splice(0)) s();
    if (this.opts.throws) throw this.opts.throws;
    await new Promise<void>((resolve) => {
      this.finish = resolve;
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (io.signal.aborted) {
      this.abortedAt = Date.now();
      this.abortReason = io.signal.reason;
      return { status: 'cancelled', summary: 'stopped', details: null, outputTail: [] };
    }
    return { status: 'succeeded', summary: 'done', details: null, outputTail: [] };
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function connect(port?: number): Redis {
  const redis = port ? new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null }) : new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  cleanups.push(async () => redis.disconnect());
  return redis;
}

/** One cycle record and everything runStage needs for its compose stage, on a random prefix. */
async function setup(opts: { executor: StageExecutor; faults?: LeaseFaults; proxy?: PausableTcpProxy }) {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const direct = connect();
  cleanups.push(() => deletePrefixedKeys(direct, prefix));
  const client = opts.proxy ? connect(opts.proxy.port) : direct;
  const cycles = new CycleStore(client, keys);
  await new CycleStore(direct, keys).create({
    id: CYCLE,
    env: 'staging',
    kind: 'partial',
    state: 'running',
    trigger: 'change',
    reason: 'test',
    requestedBy: null,
    restarts: 0,
    startedAt: Date.now(),
    finishedAt: null,
    components: ['api'],
    rebuild: ['api'],
    mainSha: 'm1',
    stagingSha: null,
    repos: [{ repo: 'acme/app', mainSha: 'm1', stagingSha: null }],
    prs: [],
    cancelReason: null,
  });
  const probe = connect();
  await probe.subscribe(keys.cancelChannel());
  const leases = await StageLeases.start({ redis: client, subscriber: connect(), keys, ttlMs: TTL_MS, pollMs: 50, ...(opts.faults ? { faults: opts.faults } : {}) });
  cleanups.push(() => leases.close());
  const job: StageJob = { env: 'staging', cycleId: CYCLE, stage: 'compose', kind: 'partial', components: ['api'], rebuild: ['api'], mainSha: 'm1', prs: [] };
  const resources = {
    stage: 'compose' as const,
    executor: opts.executor,
    cycles,
    redis: client,
    keys,
    leases,
    logger: createLogger({ app: 'test', level: 'silent' }),
    clock: Date.now,
  };
  return {
    keys,
    direct,
    cycles: new CycleStore(direct, keys),
    lockKey: keys.stageLock('compose', 'staging'),
    run: (io: { attempt?: number; signal?: AbortSignal } = {}) =>
      runStage(job, { attempt: io.attempt ?? 1, signal: io.signal, log: () => undefined }, resources),
    /** What the scheduler does to cancel a cycle: the flag, then the message; resolves once the message is out. */
    cancel: async (reason = 'a newer change') => {
      const heard = new Promise<void>((resolve) => probe.once('message', () => resolve()));
      await direct.multi().set(keys.cycleCancelled(CYCLE), reason, 'EX', 60).publish(keys.cancelChannel(), CYCLE).exec();
      await heard;
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

/** Fails the test with `what` when `promise` takes longer than `ms`, instead of hanging until Jest's timeout. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('the stage lease', () => {
  it('stops the stage when the cancel is published right after the cancelled flag was read', async () => {
    const executor = new WatchedExecutor();
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    s = await setup({ executor, faults: { afterCancelCheck: () => s!.cancel() } });
    const result = await within(4 * TTL_MS, 'the cancelled stage', s.run());
    expect(result.status).toBe('cancelled');
    // Either refused before the executor started, or the executor was told to stop.
    if (executor.calls > 0) expect(executor.abortedAt).not.toBeNull();
    expect(await s.direct.exists(s.lockKey)).toBe(0);
    expect((await s.cycles.get(CYCLE))!.stages).toMatchObject([{ stage: 'compose', status: 'cancelled' }]);
  });

  it('leaves no lock behind when the cancel lands while the lock is being taken', async () => {
    const executor = new WatchedExecutor();
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    s = await setup({ executor, faults: { afterAcquire: () => s!.cancel() } });
    const result = await within(4 * TTL_MS, 'the cancelled stage', s.run());
    expect(result.status).toBe('cancelled');
    if (executor.calls > 0) expect(executor.abortedAt).not.toBeNull();
    // Right away, not after the TTL: the next cycle's compose must not wait for a lock nobody holds.
    expect(await s.direct.exists(s.lockKey)).toBe(0);
  });

  it('sees a cancel whose message never arrived at its next renewal', async () => {
    const executor = new WatchedExecutor();
    const s = await setup({ executor });
    const running = s.run();
    await executor.whenStarted();
    // The flag only, as if this worker's subscriber was reconnecting when the message went out.
    await s.direct.set(s.keys.cycleCancelled(CYCLE), 'a newer change', 'EX', 60);
    const flaggedAt = Date.now();
    const result = await within(4 * TTL_MS, 'the cancelled stage', running);
    expect(result.status).toBe('cancelled');
    expect(executor.abortedAt! - flaggedAt).toBeLessThan(TTL_MS);
    expect(await s.direct.exists(s.lockKey)).toBe(0);
  });

  it('stops the executor at once when the lock was taken from it', async () => {
    const executor = new WatchedExecutor();
    const s = await setup({ executor });
    const running = s.run();
    await executor.whenStarted();
    await s.direct.set(s.lockKey, 'another-worker', 'PX', 10_000);
    const stolenAt = Date.now();
    const result = await within(4 * TTL_MS, 'the stage that lost its lock', running);
    expect(executor.abortedAt! - stolenAt).toBeLessThan(TTL_MS);
    expect(result).toMatchObject({ status: 'failed', summary: expect.stringContaining('lock') });
    // Not ours any more: the other holder keeps it.
    expect(await s.direct.get(s.lockKey)).toBe('another-worker');
  });

  it('stops the executor within the lease TTL when its worker is cut off from Redis', async () => {
    const url = new URL(REDIS_URL);
    const proxy = await startPausableTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    cleanups.push(() => proxy.close());
    const executor = new WatchedExecutor();
    const s = await setup({ executor, proxy });
    const running = s.run();
    await executor.whenStarted();
    // Let a renewal or two go through, then cut the connection off without closing it.
    await new Promise((r) => setTimeout(r, TTL_MS / 2));
    proxy.pause();
    const cutAt = Date.now();
    await within(3 * TTL_MS, 'the executor to be told to stop', new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (executor.abortedAt !== null) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    }));
    // The lock may expire TTL after the last renewal got through, which was before the cut.
    expect(executor.abortedAt! - cutAt).toBeLessThanOrEqual(TTL_MS + 50);
    proxy.resume();
    const result = await within(4 * TTL_MS, 'the stage to record its result', running);
    expect(result).toMatchObject({ status: 'failed', summary: expect.stringContaining('lock') });
  });

  it('returns the result already recorded for the stage instead of running it again', async () => {
    const executor = new WatchedExecutor();
    const s = await setup({ executor });
    const recorded: StageResult = {
      stage: 'compose',
      status: 'succeeded',
      startedAt: 1,
      finishedAt: 2,
      summary: 'composed before the crash',
      attempt: 1,
      details: null,
      outputTail: [],
    };
    await s.cycles.recordStage(CYCLE, recorded);
    // The job's next attempt, after its worker crashed between recording and completing the job.
    const result = await within(4 * TTL_MS, 'the rerun', s.run({ attempt: 2 }));
    expect(executor.calls).toBe(0);
    expect(result).toEqual(recorded);
    expect((await s.cycles.get(CYCLE))!.stages).toEqual([recorded]);
  });

  it('returns the result another worker recorded while this one waited for the lock', async () => {
    const executor = new WatchedExecutor();
    const s = await setup({ executor });
    await s.direct.set(s.lockKey, 'another-worker', 'PX', 10_000);
    const running = s.run({ attempt: 2 });
    await new Promise((r) => setTimeout(r, 300));
    const theirs: StageResult = { stage: 'compose', status: 'succeeded', startedAt: 1, finishedAt: 2, summary: 'theirs', attempt: 1, details: null, outputTail: [] };
    await s.cycles.recordStage(CYCLE, theirs);
    await s.direct.del(s.lockKey);
    const result = await within(4 * TTL_MS, 'the waiting stage', running);
    expect(executor.calls).toBe(0);
    expect(result).toEqual(theirs);
    expect(await s.direct.exists(s.lockKey)).toBe(0);
  });

  it('releases the lock when the executor throws and when the stage is handed back', async () => {
    const throwing = new WatchedExecutor({ throws: new Error('executor crashed') });
    const s = await setup({ executor: throwing });
    await expect(s.run()).rejects.toThrow('executor crashed');
    expect(await s.direct.exists(s.lockKey)).toBe(0);

    const executor = new WatchedExecutor();
    const h = await setup({ executor });
    const shutdown = new AbortController();
    const running = h.run({ signal: shutdown.signal });
    await executor.whenStarted();
    shutdown.abort(HAND_BACK);
    await expect(running).rejects.toBeInstanceOf(StageHandedBackError);
    expect(await h.direct.exists(h.lockKey)).toBe(0);
  });
});
