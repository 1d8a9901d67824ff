import { localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { httpClientFromSettings } from './http-client-from-settings.js';
import { HttpTestKernelExecutor } from './http-test-kernel-executor.js';

/** test-kernel runs its configured executor: a local command, or submissions to the deployed API over HTTP. */
export const httpTestKernelExecutorFactory: ExecutorFactory = (runtime) => {
  const stage = runtime.config.stages.testKernel;
  if (stage.executor !== 'http') return localExecutorFactory('test-kernel')(runtime);
  return new HttpTestKernelExecutor({
    submissions: stage.submissions,
    results: stage.results,
    doneStatuses: stage.doneStatuses,
    errorStatuses: stage.errorStatuses,
    failWhen: stage.failWhen,
    intervalMs: stage.interval,
    timeoutMs: stage.timeout,
    client: httpClientFromSettings(stage),
  });
};
