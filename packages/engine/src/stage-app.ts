import { createStageWorker } from './stage-worker.js';
import { CancelListener } from './cancel-listener.js';
import { CycleStore } from './cycle-store.js';
import { createAppRuntime, type AppName, type AppRuntime } from './app-runtime.js';
import { LocalStageExecutor } from './local-stage-executor.js';
import { revealStageEnv } from './reveal-stage-env.js';
import type { StageExecutor } from './stage-executor.js';
import { CatalogQueue, type StageName } from '@stagecraft/queue';
import { cycleNotification } from './cycle-notification.js';
import { HAND_BACK } from './hand-back.js';
import { stageMetrics } from './stage-metrics.js';

/** Time left, after handing running stages back, to stop their commands and requeue the jobs. */
const HAND_BACK_MARGIN_MS = 3000;

const APP_OF_STAGE: Record<StageName, AppName> = {
  compose: 'compose',
  build: 'build',
  drain: 'drain',
  deploy: 'deploy',
  'test-kernel': 'testKernel',
};

/** Picks the executor a stage's config asks for; stage apps add their own kinds here. */
export type ExecutorFactory = (runtime: AppRuntime) => StageExecutor | null;

export function localExecutorFactory(stage: StageName): ExecutorFactory {
  return ({ config, logger }) => {
    const key = APP_OF_STAGE[stage] as keyof typeof config.stages;
    const settings = config.stages[key];
    if (settings.executor !== 'local' || !settings.command) return null;
    const { env, unset } = revealStageEnv(settings.env);
    if (unset.length > 0) {
      logger.info({ stage, unset }, `stages.${key}.env reads variables that are not set here: the command runs without ${unset.join(', ')}`);
    }
    return new LocalStageExecutor({
      command: settings.command,
      timeoutMs: settings.timeout,
      cwd: settings.cwd ?? null,
      env,
      killGraceMs: settings.killGrace,
    });
  };
}

/** Wires one stage worker process: config, Redis, the cancel channel, the worker, health. */
export async function startStageApp(stage: StageName, executorFor: ExecutorFactory = localExecutorFactory(stage)) {
  const runtime = createAppRuntime(APP_OF_STAGE[stage]);
  const { config, logger, keys } = runtime;
  const client = runtime.redis('client');
  const cancels = await CancelListener.start(runtime.redis('client'), keys.cancelChannel());
  const executor = executorFor(runtime);
  // With a GitHub App configured the notifier follows each stage onto the PRs' check runs.
  const notifications = config.github.appId !== null ? new CatalogQueue('notifications', { connection: client, prefix: runtime.prefix }) : null;
  const worker = createStageWorker(
    {
      stage,
      executor,
      cycles: new CycleStore(client, keys),
      redis: client,
      keys,
      cancels,
      logger,
      clock: Date.now,
      lockTtlMs: config.workers.lockDuration,
      onStageFinished: stageMetrics(runtime.metrics),
      ...(notifications
        ? {
            onProgress: async (cycleId: string, step: string) => {
              const job = cycleNotification(cycleId, `${step}`);
              await notifications.add(job.type, job, { jobId: job.key });
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
  runtime.onShutdown('cancel listener', () => cancels.close());
  if (notifications) runtime.onShutdown('notifications queue', () => notifications.close());
  const { port } = await runtime.serve();
  logger.info({ stage, port, executor: executor?.description ?? 'none' }, 'stage worker ready');
  return { runtime, worker };
}
