import { randomBytes } from 'node:crypto';
import { FlowProducer, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { StagecraftConfig } from '@stagecraft/config';
import type { PolicySettings } from '@stagecraft/policy';
import { CatalogQueue, createCatalogWorker, deletePrefixedKeys, QUEUE_NAMES, stagecraftKeys, STAGE_NAMES, type StageName } from '@stagecraft/queue';
import { createLogger, type Metrics } from '@stagecraft/telemetry';
import { StageLeases } from '../stage/stage-lease.js';
import { CycleStore } from '../store/cycle-store.js';
import { EnvStateStore } from '../store/env-state-store.js';
import { HeadsStore, type RepositoryRules } from '../store/heads-store.js';
import { SchedulerEngine, type SchedulerResources } from '../scheduler/scheduler-engine.js';
import { stageMetrics } from '../stage/stage-metrics.js';
import { createStageWorker } from '../stage/stage-worker.js';
import { ExecutorRegistry, localExecutor, type ExecutorDefinition, type StageExecutor } from '@stagecraft/executors';
import { policySettingsOf, repositoryRulesOf } from '@stagecraft/config';
import type { TrustLists } from '../scheduler/trust-lists.js';
import type { ComponentRule } from '../scheduler/route-event.js';
import type { ChangedPaths } from '../scheduler/changed-paths.js';
import type { PullRequestLookup } from '../scheduler/pull-request-lookup.js';
import type { RemoteHeads } from '../scheduler/remote-heads.js';
import type { CheckLookup } from '../scheduler/check-lookup.js';
import type { RoleResolver } from '../scheduler/role-resolver.js';
import type { CycleRecord } from '../store/cycle-record.js';
import { PromotionService, type PromotionEnvironment, type PromotionRoles } from '../scheduler/promotion/promotion-service.js';
import { PromotionStore } from '../store/promotion-store.js';
import { ReleaseAuditLog } from '../store/release-audit-log.js';
import { ReleaseStore } from '../store/release-store.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export const fastSettings: PolicySettings = {
  settleMs: 300,
  settleMaxMs: 900,
  throttleMs: 1000,
  fullIntervalMs: 60 * 60 * 1000,
  idleCheckMs: 60 * 60 * 1000,
  maxRestarts: 1,
};

export interface HarnessOptions {
  /**
   * A project's stagecraft.yaml, loaded (loadConfig): its policy timings, components, trust lists,
   * main branch and first automatic environment, and each stage carried out by the executor
   * `stages.<stage>.executor` names (one of `executors`). The options below win over it.
   */
  config?: StagecraftConfig;
  /** The executor kinds `config`'s stages may name (default: the local executor, i.e. the stage commands). */
  executors?: readonly ExecutorDefinition[];
  settings?: Partial<PolicySettings>;
  /** Each stage's executor; null leaves a stage without one (it succeeds at once). */
  executor?: (stage: StageName) => StageExecutor | null;
  /** Default: api (services/api/**) and web (services/web/**), in the first repository (when they name none). */
  components?: Array<Omit<ComponentRule, 'repository'> & { repository?: string }>;
  /** Default: maintainer `maint`, trusted `alice`. */
  trust?: TrustLists;
  /** The default repository's main branch (default: main). */
  mainBranch?: string;
  /** The repositories staging composes; default: the config's, else one, `acme/app` (as the test events). */
  repositories?: RepositoryRules[];
  /** The environment cycles run in (default: staging). */
  environment?: string;
  /** Scheduler engines sharing the same Redis state, as separate replicas would. */
  replicas?: number;
  /** Start timer/cycle/stage workers (off for tests that only look at state). */
  workers?: boolean;
  changedPaths?: ChangedPaths;
  pullRequests?: PullRequestLookup;
  /** Where the idle check reads GitHub's heads (e.g. GitHubRemoteHeads on the fake GitHub server). */
  remoteHeads?: RemoteHeads;
  /** Where the scheduler reads commits' checks and branch protection (e.g. GitHubCheckLookup on the fake GitHub server). */
  checks?: CheckLookup;
  roles?: RoleResolver;
  /** Give the engine a notifications queue (command acknowledgements and replies). */
  notifications?: boolean;
  /** Another Redis (e.g. a Cluster, whose prefix needs a hash tag): its connections and key prefix. */
  redis?: { connect: () => Redis; prefix: string };
  /** Stage workers count their results on this registry, as a stage app does. */
  metrics?: Metrics;
  /** The default repository's rules for which PRs staging takes besides trust; default: label staging-skip, 14 days, no required checks. */
  composeRules?: { skipLabel: string; maxAgeMs: number; requireChecks?: readonly string[] | 'required' };
  /** How often a failed build, deploy or test-kernel of a cycle with PRs runs again (default: the config's, else 1). */
  rerunFailedStage?: number;
  /** The scheduler's callbacks (a scheduler app wires its metrics through them). */
  hooks?: Pick<SchedulerResources, 'onNotice' | 'onCycleStarted' | 'onCycleFinished' | 'onBisectionStarted' | 'onBisectionVerdict'>;
  /** Releases and promotion: the environments' promotion settings and who approves. */
  promotion?: { environments: Record<string, PromotionEnvironment>; roles: PromotionRoles; clock?: () => number };
}

/**
 * A scheduler plus stage workers in this process, on real Redis under a random key prefix: hand
 * events to `engine.handleEvent` and watch the cycles they cause (`listCycles`, `waitFor`).
 */
export async function startEngineHarness(opts: HarnessOptions = {}) {
  const prefix = opts.redis?.prefix ?? `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const connections: Redis[] = [];
  const connect = () => {
    const c = opts.redis ? opts.redis.connect() : new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };
  const logger = createLogger({ app: 'test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  // The executors keep their state (approvals, locks) under the harness's prefix, not the config's.
  const config = opts.config ? { ...opts.config, redis: { ...opts.config.redis, prefix } } : null;
  const settings = { ...(config ? policySettingsOf(config) : fastSettings), ...opts.settings };
  const environment = opts.environment ?? (config ? Object.entries(config.environments).find(([, e]) => e.auto)?.[0] : undefined) ?? 'staging';
  const composeRules = opts.composeRules ?? { skipLabel: 'staging-skip', maxAgeMs: 14 * 24 * 3_600_000 };
  const repositories: RepositoryRules[] =
    opts.repositories ??
    (config && !opts.mainBranch && !opts.composeRules ? repositoryRulesOf(config) : [{ name: config?.repositories[0]?.name ?? 'acme/app', mainBranch: opts.mainBranch ?? config?.repositories[0]?.mainBranch ?? 'main', ...composeRules }]);
  const components: ComponentRule[] = (
    opts.components ??
    config?.components ?? [
      { name: 'api', paths: ['services/api/**'], configPaths: ['services/api/tests/**'] },
      { name: 'web', paths: ['services/web/**'], configPaths: [] },
    ]
  ).map((c) => ({ ...c, repository: c.repository ?? repositories[0]!.name }));
  const trust = opts.trust ?? config?.trust ?? { maintainers: ['maint'], trusted: ['alice'], approvers: [] };
  const client = connect();
  const registry = new ExecutorRegistry(opts.executors ?? [localExecutor]);
  const executorOf = (stage: StageName): StageExecutor | null => {
    if (opts.executor) return opts.executor(stage);
    return config ? registry.executorFor(stage, { config, logger, redis: () => client }) : null;
  };
  const cycles = new CycleStore(client, keys);
  const closers: Array<() => Promise<unknown>> = [];

  const promotionsQueue = opts.promotion ? new CatalogQueue('promotions', { connection: client, prefix }) : null;
  const releases = new ReleaseStore(client, keys);
  const audit = new ReleaseAuditLog(client, keys);
  const promotionFlows = opts.promotion ? new FlowProducer({ connection: client, prefix }) : null;
  const promotionNotices = opts.promotion ? new CatalogQueue('notifications', { connection: client, prefix }) : null;
  const promotions = opts.promotion
    ? new PromotionService({
        releases,
        promotions: new PromotionStore(client, keys),
        audit,
        cycles,
        heads: new HeadsStore(client, keys),
        flows: promotionFlows!,
        timers: promotionsQueue!,
        notifications: promotionNotices!,
        roles: opts.promotion.roles,
        environments: opts.promotion.environments,
        logger,
        clock: opts.promotion.clock ?? Date.now,
      })
    : undefined;
  if (promotionsQueue) closers.push(() => promotionsQueue.close(), () => promotionFlows!.close(), () => promotionNotices!.close());

  const makeEngine = () => {
    const c = connect();
    const timers = new CatalogQueue('timers', { connection: c, prefix });
    const flows = new FlowProducer({ connection: c, prefix });
    closers.push(() => timers.close(), () => flows.close());
    return new SchedulerEngine({
      redis: c,
      keys,
      states: new EnvStateStore(c, keys),
      cycles: new CycleStore(c, keys),
      heads: new HeadsStore(c, keys),
      timers,
      flows,
      logger,
      clock: Date.now,
      settings,
      environments: [environment],
      components,
      trust,
      repositories,
      ...(opts.changedPaths ? { changedPaths: opts.changedPaths } : {}),
      ...(opts.pullRequests ? { pullRequests: opts.pullRequests } : {}),
      ...(opts.remoteHeads ? { remoteHeads: opts.remoteHeads } : {}),
      ...(opts.checks ? { checks: opts.checks } : {}),
      ...(opts.roles ? { roles: opts.roles } : {}),
      ...(opts.notifications ? { notifications: new CatalogQueue('notifications', { connection: c, prefix }), botName: 'stagecraft' } : {}),
      ...opts.hooks,
      ...(promotions ? { promotions } : {}),
    });
  };
  const engines = Array.from({ length: opts.replicas ?? 1 }, makeEngine);
  const engine = engines[0]!;

  const workers: Worker[] = [];
  if (opts.workers !== false) {
    const workerOpts = () => ({ connection: connect(), prefix, stalledInterval: 1000, lockDuration: 2000 });
    workers.push(
      createCatalogWorker('timers', async ({ env, cycleId }) => engine.timerFired(env, cycleId), { ...workerOpts(), concurrency: 4 }),
      createCatalogWorker('cycles', async ({ env, cycleId }) => (await engine.finalizeCycle(env, cycleId))?.state, { ...workerOpts(), concurrency: 4 }),
    );
    if (promotions) workers.push(createCatalogWorker('promotions', async ({ requestId }) => promotions.timerFired(requestId), { ...workerOpts(), concurrency: 2 }));
    const leases = await StageLeases.start({ redis: client, subscriber: connect(), keys, ttlMs: 2000 });
    closers.push(() => leases.close());
    for (const stage of STAGE_NAMES) {
      workers.push(
        createStageWorker(
          {
            stage,
            executor: executorOf(stage),
            cycles,
            redis: client,
            keys,
            leases,
            logger,
            clock: Date.now,
            ...(opts.metrics ? { onStageFinished: stageMetrics(opts.metrics) } : {}),
            rerunsOnFailure: opts.rerunFailedStage ?? config?.policy.rerunFailedStage ?? 1,
          },
          workerOpts(),
        ),
      );
    }
  }

  const listCycles = async (): Promise<CycleRecord[]> => (await cycles.list({ env: environment, limit: 500 })).reverse();
  const waitFor = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    prefix,
    keys,
    client,
    /** Timer, cycle and stage workers, stage ones named `stage-<name>`. */
    workers,
    engine,
    engines,
    cycles,
    settings,
    /** The environment its cycles run in. */
    environment,
    /** Present with `promotion`. */
    promotions,
    releases,
    audit,
    async notificationJobs() {
      const q = new CatalogQueue('notifications', { connection: client, prefix });
      const jobs = await q.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      await q.close();
      return jobs.map((j) => ({ id: j.id, ...j.data })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
    },
    listCycles,
    /**
     * The cycles, oldest first, once `count` of them have finished (another may be running);
     * `settled`: once there are `count` and none is running.
     */
    async finishedCycles(count: number, opts: { settled?: boolean } = {}): Promise<CycleRecord[]> {
      return waitFor(`${count} finished cycle(s)`, async () => {
        const all = await listCycles();
        const done = all.filter((c) => c.state !== 'running').length;
        return (opts.settled ? all.length >= count && done === all.length : done >= count) ? all : null;
      });
    },
    /** Waits long enough for a change to have started a cycle (settle) after the last finished one (throttle). */
    async quiet(): Promise<void> {
      await new Promise((r) => setTimeout(r, settings.settleMs + settings.throttleMs + 300));
    },
    waitFor,
    async close() {
      await Promise.all(workers.map((w) => w.close(true)));
      for (const close of closers) await close();
      for (const name of QUEUE_NAMES) {
        const q = new CatalogQueue(name, { connection: client, prefix });
        await q.queue.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await deletePrefixedKeys(client, prefix);
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

export type EngineHarness = Awaited<ReturnType<typeof startEngineHarness>>;
