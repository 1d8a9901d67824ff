import { FlowProducer } from 'bullmq';
import { policySettingsOf, repositoryRulesOf } from '@stagecraft/config';
import { CatalogQueue, createCatalogWorker, QUEUE_NAMES } from '@stagecraft/queue';
import {
  createAppRuntime,
  CycleStore,
  EnvStateStore,
  HeadsStore,
  PromotionService,
  PromotionStore,
  queueDepthGauge,
  ReleaseAuditLog,
  ReleaseStore,
  SchedulerEngine,
  schedulerMetrics,
  staticPromotionRoles,
} from '@stagecraft/engine';
import {
  GitHubChangedPaths,
  GitHubCheckLookup,
  GitHubPullRequestLookup,
  githubAppFromConfig,
  githubRolesFromConfig,
  GitHubRemoteHeads,
  RequiredChecksNeedAppError,
} from '@stagecraft/github';
import { promotionEnvironmentsFrom } from './promotion-environments-from.js';
import { schedulerHooks } from './scheduler-hooks.js';

const runtime = createAppRuntime('scheduler');
const { config, logger, keys, prefix } = runtime;
const client = runtime.redis('client');
const metrics = schedulerMetrics(runtime.metrics);

const timers = new CatalogQueue('timers', { connection: client, prefix });
const idleQueue = new CatalogQueue('idle-check', { connection: client, prefix });
const flows = new FlowProducer({ connection: client, prefix });
const github = githubAppFromConfig(config, logger);
// `config check` refuses requireChecks: required without github.appId/privateKey; a key whose secret is unset gets here.
const requiredByProtection = config.repositories.filter((r) => r.compose.requireChecks === 'required').map((r) => r.name);
if (!github && requiredByProtection.length > 0) {
  logger.fatal(new RequiredChecksNeedAppError(requiredByProtection).message);
  process.exit(1);
}
// Command acknowledgements and replies need the GitHub App; without it commands run silently.
const notifications = github ? new CatalogQueue('notifications', { connection: client, prefix }) : null;

const cycles = new CycleStore(client, keys);
const heads = new HeadsStore(client, keys);
const roles = github ? githubRolesFromConfig(config, github, { redis: client, keys, logger }) : null;
// Releases are recorded for every environment; promote/approve/reject/rollback act on those with approval: true.
const promotionTimers = new CatalogQueue('promotions', { connection: client, prefix });
const promotions = new PromotionService({
  releases: new ReleaseStore(client, keys),
  promotions: new PromotionStore(client, keys),
  audit: new ReleaseAuditLog(client, keys),
  cycles,
  heads,
  flows,
  timers: promotionTimers,
  ...(notifications ? { notifications } : {}),
  // Without the GitHub App, "org/team" entries cannot be resolved: only the listed logins count.
  roles: roles ?? staticPromotionRoles(config.trust),
  environments: promotionEnvironmentsFrom(config),
  logger,
  clock: Date.now,
  onCycleStarted: schedulerHooks(metrics).onCycleStarted,
});

const engine = new SchedulerEngine({
  redis: client,
  keys,
  states: new EnvStateStore(client, keys),
  cycles,
  heads,
  timers,
  flows,
  logger,
  clock: Date.now,
  settings: policySettingsOf(config),
  environments: Object.entries(config.environments).filter(([, e]) => e.auto).map(([name]) => name),
  components: config.components,
  trust: config.trust,
  ...(roles ? { roles } : {}),
  repositories: repositoryRulesOf(config),
  ...(github
    ? {
        changedPaths: new GitHubChangedPaths(github),
        pullRequests: new GitHubPullRequestLookup(github),
        remoteHeads: new GitHubRemoteHeads(github),
        checks: new GitHubCheckLookup(github, config.github.checkName),
      }
    : {}),
  ...(notifications ? { notifications, botName: config.github.botName } : {}),
  ...schedulerHooks(metrics),
  promotions,
});

// Every queue's depth per state, counted on each scrape (one scheduler replica's view is enough).
const depthQueues = QUEUE_NAMES.map((name) => new CatalogQueue(name, { connection: client, prefix }));
queueDepthGauge(runtime.metrics, depthQueues.map((q) => q.queue), {
  onError: (err) => logger.warn({ err: err.message }, 'could not count queue depths for /metrics'),
});

const workerOptions = {
  prefix,
  lockDuration: config.workers.lockDuration,
  stalledInterval: config.workers.stalledInterval,
  maxStalledCount: config.workers.maxStalledCount,
};

// Events are applied one at a time per process, in arrival order; replicas are kept consistent by
// the optimistic commit in the state store, not by this concurrency.
const eventsWorker = createCatalogWorker(
  'events',
  async (event) => {
    await engine.handleEvent(event);
    metrics.events.inc({ kind: event.kind });
  },
  { ...workerOptions, connection: runtime.redis('worker'), concurrency: 1 },
);
const timersWorker = createCatalogWorker(
  'timers',
  async ({ env, cycleId }) => engine.timerFired(env, cycleId),
  { ...workerOptions, connection: runtime.redis('worker'), concurrency: 4 },
);
const cyclesWorker = createCatalogWorker(
  'cycles',
  async ({ env, cycleId }) => (await engine.finalizeCycle(env, cycleId))?.state ?? 'failed',
  { ...workerOptions, connection: runtime.redis('worker'), concurrency: 4 },
);
const promotionsWorker = createCatalogWorker('promotions', async ({ requestId }) => promotions.timerFired(requestId), {
  ...workerOptions,
  connection: runtime.redis('worker'),
  concurrency: 2,
});
const idleWorker = createCatalogWorker('idle-check', async () => engine.idleTick(), {
  ...workerOptions,
  connection: runtime.redis('worker'),
  concurrency: 1,
});
for (const w of [eventsWorker, timersWorker, cyclesWorker, promotionsWorker, idleWorker]) {
  w.on('failed', (job, err) => logger.error({ queue: w.name, jobId: job?.id, err: err.message }, 'scheduler job failed'));
}

await idleQueue.queue.upsertJobScheduler('idle-check', { every: config.policy.idleCheckEvery }, { name: 'idle-tick', data: {} });

runtime.onShutdown('workers', async () => {
  await Promise.all([eventsWorker, timersWorker, cyclesWorker, promotionsWorker, idleWorker].map((w) => w.close()));
});
runtime.onShutdown('queues', async () => {
  await Promise.all([timers.close(), promotionTimers.close(), idleQueue.close(), flows.close(), notifications?.close(), ...depthQueues.map((q) => q.close())]);
});
const { port } = await runtime.serve();
logger.info({ port, environments: Object.keys(config.environments) }, 'scheduler ready');
