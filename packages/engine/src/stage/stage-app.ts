import { createStageWorker } from './stage-worker.js';
import { StageLeases } from './stage-lease.js';
import { CycleStore } from '../store/cycle-store.js';
import { createAppRuntime, type AppName } from '../runtime/app-runtime.js';
import { ExecutorRegistry, HAND_BACK, type ExecutorDefinition } from '@stagecraft/executors';
import { CatalogQueue, cycleNotification, enqueueNotification, type StageName } from '@stagecraft/queue';
import { flakeCounter, stageMetrics } from './stage-metrics.js';

/** Time left, after handing running stages back, to stop their commands and requeue the jobs. */
const HAND_BACK_MARGIN_MS = 3000;

const APP_OF_STAGE: Record<StageName, AppName> = {
  compose: 'compose',
  build: 'build',
  drain: 'drain',
  deploy: 'deploy',
  'test-kernel': 'testKernel',
};

/**
 * Wires one stage worker process: config, Redis, the cancel channel, the worker, health. The stage's
 * executor is the one `stages.<stage>.executor` names among `executors`.
 */
export async function startStageApp(stage: StageName, executors: readonly ExecutorDefinition[]) {
  const runtime = createAppRuntime(APP_OF_STAGE[stage]);
  const { config, logger, keys } = runtime;
  const client = runtime.redis('client');
  const leases = await StageLeases.start({ redis: client, subscriber: runtime.redis('client'), keys, ttlMs: config.workers.lockDuration });
  const shared = runtime.redis('client');
  const executor = new ExecutorRegistry(executors).executorFor(stage, { config, logger, redis: () => shared });
  // With a GitHub App configured the notifier follows each stage onto the PRs' check runs.
  const notifications = config.github.appId !== null ? new CatalogQueue('notifications', { connection: client, prefix: runtime.prefix }) : null;
  const flakes = flakeCounter(runtime.metrics);
  const worker = createStageWorker(
    {
      stage,
      executor,
      cycles: new CycleStore(client, keys),
      redis: client,
      keys,
      leases,
      logger,
      clock: Date.now,
      onStageFinished: stageMetrics(runtime.metrics),
      rerunsOnFailure: config.policy.rerunFailedStage,
      onFlake: (job) => flakes(job, stage),
      ...(notifications
        ? {
            onProgress: async (cycleId: string, step: string) => {
              await enqueueNotification(notifications, cycleNotification(cycleId, `${step}`));
            },
          }
        : {}),
    },
    {
      connection: runtime.redis('worker'),
      prefix: runtime.prefix,
      concurrency: config.workers.concurrency,
      lockDuration: config.workers.lockDuration,
      stalledInterval: config.workers.stalledInterval,
      maxStalledCount: config.workers.maxStalledCount,
    },
  );
  worker.on('failed', (job, err) => logger.error({ jobId: job?.id, err: err.message }, 'stage job failed'));
  // A handed-back local command gets its kill grace to exit before its job goes back to the queue.
  const stageSettings = config.stages[APP_OF_STAGE[stage] as keyof typeof config.stages];
  const killGraceMs = stageSettings.executor === 'local' ? stageSettings.killGrace : 0;
  runtime.onShutdown('worker', async () => {
    // Running stages may finish within the grace; shortly before it runs out they are handed back
    // to the queue, so another replica starts them at once instead of after the lock expires.
    const handBack = setTimeout(() => worker.cancelAllJobs(HAND_BACK), Math.max(0, config.workers.shutdownGrace - HAND_BACK_MARGIN_MS - killGraceMs));
    try {
      await worker.close();
    } finally {
      clearTimeout(handBack);
    }
  });
  runtime.onShutdown('stage leases', () => leases.close());
  if (notifications) runtime.onShutdown('notifications queue', () => notifications.close());
  const { port } = await runtime.serve();
  logger.info({ stage, port, executor: executor?.description ?? 'none' }, 'stage worker ready');
  return { runtime, worker };
}
