import { localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { httpClientFromSettings } from './http-client-from-settings.js';
import { HttpDrainExecutor } from './http-drain-executor.js';

/** drain runs its configured executor: a local command, or the deployed API's pause/status over HTTP. */
export const httpDrainExecutorFactory: ExecutorFactory = (runtime) => {
  const stage = runtime.config.stages.drain;
  if (stage.executor !== 'http') return localExecutorFactory('drain')(runtime);
  return new HttpDrainExecutor({
    pauseUrl: stage.pauseUrl,
    statusUrl: stage.statusUrl,
    resumeUrl: stage.resumeUrl,
    until: stage.until,
    intervalMs: stage.interval,
    timeoutMs: stage.timeout,
    onTimeout: stage.onTimeout,
    client: httpClientFromSettings(stage),
  });
};
