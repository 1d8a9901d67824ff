import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { CatalogQueue, createCatalogWorker, JOB_LOG_LINES, queueCatalog, QUEUE_NAMES, type QueueName, type StagecraftKeys } from '@stagecraft/queue';
import { createLogger } from '@stagecraft/telemetry';
import {
  checksEvent,
  commandEvent,
  GatedExecutor,
  pullRequestEvent,
  pushEvent,
  REDIS_URL,
  startEngineHarness,
  startFakeGitHub,
  type EngineHarness,
  type FakeGitHub,
} from '@stagecraft/testing';
import { CLOSED_PR_MEMORY_MS } from '@stagecraft/engine';
import { RepositoryClients } from './app/repository-clients.js';
import { repositoryConfig, testApp } from './test-support/repository-config.js';
import { CyclePublisher } from './report/cycle-publisher.js';
import { postNotification } from './report/post-notification.js';

const CYCLE_RETENTION = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** compose that merges every PR but #9, which it reports as conflicting with main. */
class ConflictingCompose implements StageExecutor {
  readonly description = 'compose (test: #9 conflicts)';
  async run(ctx: StageContext): Promise<ExecutorOutcome> {
    const conflicts = ctx.prs.filter((p) => p.number === 9).map((p) => ({ repo: p.repo, number: p.number, sha: p.sha, with: 'main' }));
    const prs = ctx.prs.filter((p) => p.number !== 9);
    return { status: 'succeeded', summary: 'composed', details: { results: { sha: ctx.mainSha, mainSha: ctx.mainSha, prs, conflicts, left: [] } }, outputTail: [] };
  }
}

/**
 * Keys Stagecraft keeps without a TTL, and why each stays bounded; `check` proves it for the key
 * found. Anything else Stagecraft writes must expire.
 */
function boundedWithoutTtl(keys: StagecraftKeys, redis: Redis, openPrs: ReadonlySet<number>) {
  const cycleIds = async () => new Set(await redis.zrange(keys.cycleIndexAll(), 0, -1));
  const onlyOpenPrs = (field: (name: string) => number | null) => async (key: string) => {
    const stale = (await redis.hkeys(key)).filter((name) => {
      const pr = field(name);
      return pr !== null && !openPrs.has(pr);
    });
    expect({ key, fieldsOfClosedPrs: stale }).toEqual({ key, fieldsOfClosedPrs: [] });
  };
  return [
    { pattern: keys.envState('*'), why: 'one per configured environment' },
    { pattern: keys.deployedHeads('*'), why: 'one per configured environment' },
    { pattern: keys.heads(), why: "each repository's main plus one field per open PR", check: onlyOpenPrs((f) => (f.startsWith('pr:') ? prNumber(f) : null)) },
    {
      pattern: keys.headsClosed(),
      why: 'closes received in the last 30 days: older ones are trimmed by every close',
      check: async (key: string) => {
        const oldest = await redis.zrange(key, 0, 0, 'WITHSCORES');
        if (oldest[1] !== undefined) expect(Date.now() - Number(oldest[1])).toBeLessThan(CLOSED_PR_MEMORY_MS);
      },
    },
    { pattern: keys.approvals(), why: 'one field per open PR', check: onlyOpenPrs(prNumber) },
    { pattern: keys.skips(), why: 'one field per open PR', check: onlyOpenPrs(prNumber) },
    {
      pattern: keys.cycle('*'),
      why: 'trimmed with the cycle index',
      check: async (key: string) => expect((await cycleIds()).has(key.slice(keys.cycle('').length))).toBe(true),
    },
    {
      pattern: keys.cycleStages('*'),
      why: 'trimmed with the cycle index',
      check: async (key: string) => expect((await cycleIds()).has(key.slice(keys.cycle('').length, -':stages'.length))).toBe(true),
    },
    { pattern: keys.cycleIndex('*'), why: `trimmed to the newest ${CYCLE_RETENTION}`, check: async (key: string) => expect(await redis.zcard(key)).toBeLessThanOrEqual(CYCLE_RETENTION) },
    { pattern: keys.cycleIndexAll(), why: 'trimmed with the per-environment indexes', check: async (key: string) => expect(await redis.zcard(key)).toBeLessThanOrEqual(CYCLE_RETENTION) },
    { pattern: keys.audit(), why: 'trimmed to the newest 200 by the audit log', check: async (key: string) => expect(await redis.llen(key)).toBeLessThanOrEqual(200) },
  ].map((rule) => ({ ...rule, regex: new RegExp(`^${rule.pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^:]+')}$`) }));
}

/** The number of a PR as Redis fields spell it (`owner/name#7`, after any `pr:`). */
function prNumber(field: string): number {
  return Number(field.slice(field.lastIndexOf('#') + 1));
}

/** Queue-wide BullMQ structures; their size follows from the jobs they hold. */
const QUEUE_STRUCTURES = new Set(['wait', 'paused', 'active', 'prioritized', 'delayed', 'completed', 'failed', 'waiting-children', 'stalled', 'meta', 'id', 'events', 'marker', 'pc', 'repeat']);
const PER_JOB = new Set(['dependencies', 'processed', 'failed', 'unsuccessful']);

function boundedOptions(value: unknown): boolean {
  if (value === true || typeof value === 'number') return true;
  return typeof value === 'object' && value !== null && ('age' in value || 'count' in value);
}

describe('Redis retention', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  let worker: ReturnType<typeof createCatalogWorker> | undefined;
  const connections: Redis[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await worker?.close();
    for (const close of closers.splice(0)) await close();
    await h?.close();
    await github?.close();
    await Promise.all(connections.splice(0).map((c) => c.quit()));
  });

  it('every key a short history leaves behind expires, is a bounded BullMQ structure, or is bounded by design', async () => {
    github = await startFakeGitHub();
    // The repository requires a check, so each PR head's checks are kept too.
    h = await startEngineHarness({
      executor: (stage) => (stage === 'compose' ? new ConflictingCompose() : new GatedExecutor()),
      notifications: true,
      composeRules: { skipLabel: 'staging-skip', maxAgeMs: 14 * 24 * 3_600_000, requireChecks: ['ci/build'] },
    });
    const { keys, client: redis, prefix } = h;
    const clients = new RepositoryClients(testApp(github), [repositoryConfig('acme/app')]);
    const publisher = new CyclePublisher({
      redis,
      keys,
      cycles: h.cycles,
      github: clients,
      checkName: 'stagecraft/staging',
      cycleUrl: () => null,
      productionEnvironments: [],
      deployments: true,
      clock: Date.now,
      logger: createLogger({ app: 'test', level: 'silent' }),
    });
    const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(workerConnection);
    // The notifier's worker, as apps/notifier wires it.
    worker = createCatalogWorker(
      'notifications',
      async (job) => (job.type === 'cycle' ? publisher.publish(job.cycleId, null) : job.type === 'reaction' || job.type === 'reply' ? postNotification(clients, job) : undefined),
      { connection: workerConnection, prefix, concurrency: 4 },
    );
    const queues = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new CatalogQueue(name, { connection: redis, prefix })])) as Record<QueueName, CatalogQueue<QueueName>>;
    closers.push(...Object.values(queues).map((q) => () => q.close()));
    const settled = async (what: string) => {
      let last = '';
      let stableSince = Date.now();
      await h!.waitFor(
        what,
        async () => {
          const cycles = await h!.listCycles();
          const pending = await Promise.all(['timers', 'notifications', ...QUEUE_NAMES.filter((q) => q.startsWith('stage-')), 'cycles'].map((q) => queues[q as QueueName].queue.getJobCounts('waiting', 'active', 'delayed', 'waiting-children', 'prioritized')));
          const busy = pending.some((counts) => Object.values(counts).some((n) => n > 0)) || cycles.some((c) => c.state === 'running');
          const now = `${cycles.length}:${busy}`;
          if (now !== last) {
            last = now;
            stableSince = Date.now();
          }
          // Quiet for longer than settle + throttle: nothing else is coming.
          return !busy && Date.now() - stableSince > h!.settings.settleMs + h!.settings.throttleMs;
        },
        40_000,
      );
    };

    // main, two PRs from a trusted author (#9 conflicts), one from an untrusted author that a maintainer approves.
    await h.engine.handleEvent(pushEvent());
    for (const opened of [pullRequestEvent({ action: 'opened', pr: 7, author: 'alice' }), pullRequestEvent({ action: 'opened', pr: 9, author: 'alice' }), pullRequestEvent({ action: 'opened', pr: 8, author: 'mallory' })]) {
      await h.engine.handleEvent(opened);
      if (opened.kind === 'pull_request') await h.engine.handleEvent(checksEvent(opened.sha));
    }
    await settled('the first cycles');
    await h.engine.handleEvent(commandEvent({ command: 'deploy', by: 'maint', pr: 8, isPullRequest: true }));
    await settled('the approved PR to be staged');
    await h.engine.handleEvent(commandEvent({ command: 'skip', by: 'alice', pr: 7, isPullRequest: true }));
    await h.engine.handleEvent(commandEvent({ command: 'status', by: 'bob', pr: 7, isPullRequest: true }));
    await settled('the skipped PR to leave staging');

    // Everything kept about the PRs exists now, so its removal below means something.
    expect((await redis.keys(keys.headChecks('*', '*'))).length).toBe(3);
    expect(await redis.hexists(keys.approvals(), 'acme/app#8')).toBe(1);
    expect(await redis.hexists(keys.skips(), 'acme/app#7')).toBe(1);
    expect(await redis.exists(keys.prComment('acme/app', 7), keys.prComment('acme/app', 8), keys.conflictsTold('acme/app', 9))).toBe(3);
    expect(github.comments.filter((c) => c.body.includes('conflicts with main'))).not.toHaveLength(0);

    await h.engine.handleEvent(pullRequestEvent({ action: 'closed', pr: 7, author: 'alice' }));
    await h.engine.handleEvent(pullRequestEvent({ action: 'closed', pr: 8, author: 'mallory', merged: true }));
    await h.engine.handleEvent(pushEvent());
    await h.engine.handleEvent(pullRequestEvent({ action: 'closed', pr: 9, author: 'alice' }));
    await settled('the cycles after the PRs closed');
    await sleep(200);
    expect((await h.listCycles()).length).toBeGreaterThanOrEqual(4);

    // A closed PR leaves nothing behind.
    // Heads keep main, and what ordered each ref's last update: a closed PR's is kept while its close
    // is remembered (heads:closed, trimmed to 30 days), so a late update cannot bring it back.
    const headFields = await redis.hkeys(keys.heads());
    expect(headFields.filter((f) => !f.startsWith('order:')).sort()).toEqual(['main:acme/app']);
    const closed = new Set(await redis.zrange(keys.headsClosed(), 0, -1));
    for (const f of headFields.filter((f) => f.startsWith('order:pr:'))) expect(closed.has(f.slice('order:pr:'.length))).toBe(true);
    expect(await redis.exists(keys.approvals(), keys.skips(), keys.prComment('acme/app', 7), keys.prComment('acme/app', 8), keys.prComment('acme/app', 9), keys.conflictsTold('acme/app', 9))).toBe(0);

    const rules = boundedWithoutTtl(keys, redis, new Set());
    const all = await redis.keys(`${prefix}:*`);
    const unexplained: string[] = [];
    for (const key of all.sort()) {
      const ttl = await redis.pttl(key);
      // Expiring, or gone since the scan (-2).
      if (ttl > 0 || ttl === -2) continue;
      if (key.startsWith(`${prefix}:sc:`)) {
        const rule = rules.find((r) => r.regex.test(key));
        if (!rule) unexplained.push(`${key}: a Stagecraft key with no TTL and no stated bound`);
        else await rule.check?.(key);
        continue;
      }
      const [queue, ...restParts] = key.slice(prefix.length + 1).split(':');
      const rest = restParts.join(':');
      if (!QUEUE_NAMES.includes(queue as QueueName)) {
        unexplained.push(`${key}: neither a Stagecraft key nor one of a catalog queue`);
        continue;
      }
      const { defaults } = queueCatalog[queue as QueueName];
      // The queue's finished jobs and their logs are bounded by its catalog options.
      expect({ queue, removeOnComplete: boundedOptions(defaults.removeOnComplete), removeOnFail: boundedOptions(defaults.removeOnFail), keepLogs: defaults.keepLogs }).toEqual({
        queue,
        removeOnComplete: true,
        removeOnFail: true,
        keepLogs: JOB_LOG_LINES,
      });
      // A job scheduler (the idle check): one per scheduler.
      if (QUEUE_STRUCTURES.has(rest) || rest.startsWith('repeat:')) {
        if (rest === 'events') expect(await redis.xlen(key)).toBeLessThanOrEqual(11_000);
        continue;
      }
      const [jobId, part] = rest.startsWith('de:') ? [null, null] : [restParts[0]!, restParts.slice(1).join(':')];
      if (jobId === null) {
        unexplained.push(`${key}: a deduplication key outliving its job`);
        continue;
      }
      const job = await queues[queue as QueueName].queue.getJob(jobId);
      if (!job) {
        unexplained.push(`${key}: belongs to no job`);
        continue;
      }
      // Every job carries the catalog's retention, flow children included.
      expect({ key, keepLogs: job.opts.keepLogs, removeOnComplete: boundedOptions(job.opts.removeOnComplete), removeOnFail: boundedOptions(job.opts.removeOnFail) }).toEqual({
        key,
        keepLogs: JOB_LOG_LINES,
        removeOnComplete: true,
        removeOnFail: true,
      });
      if (part === 'logs') expect(await redis.llen(key)).toBeLessThanOrEqual(JOB_LOG_LINES);
      else if (part !== '' && !PER_JOB.has(part)) unexplained.push(`${key}: an unknown per-job key`);
    }
    expect(unexplained).toEqual([]);
  }, 90_000);
});
