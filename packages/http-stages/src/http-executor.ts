import type { ExecutorDefinition } from '@stagecraft/executors';
import { httpClientFromSettings } from './http-client-from-settings.js';
import { HttpDrainExecutor } from './http-drain-executor.js';
import { HttpTestKernelExecutor } from './http-test-kernel-executor.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';

/**
 * `executor: http`: drain pauses the deployed API and waits for its queue to empty; test-kernel
 * submits to it. A drain with a resumeUrl is followed by a resume once deploy finished, in the
 * deploy worker (see ResumeAfterDeployExecutor for why there).
 */
export const httpExecutor: ExecutorDefinition = {
  kind: 'http',
  stages: ['drain', 'test-kernel'],
  create(stage, { config }) {
    if (stage === 'drain') {
      const settings = config.stages.drain;
      if (settings.executor !== 'http') return null;
      return new HttpDrainExecutor({
        pauseUrl: settings.pauseUrl,
        statusUrl: settings.statusUrl,
        resumeUrl: settings.resumeUrl,
        until: settings.until,
        intervalMs: settings.interval,
        timeoutMs: settings.timeout,
        onTimeout: settings.onTimeout,
        client: httpClientFromSettings(settings),
      });
    }
    const settings = config.stages.testKernel;
    if (settings.executor !== 'http') return null;
    return new HttpTestKernelExecutor({
      submissions: settings.submissions,
      results: settings.results,
      doneStatuses: settings.doneStatuses,
      errorStatuses: settings.errorStatuses,
      failWhen: settings.failWhen,
      intervalMs: settings.interval,
      timeoutMs: settings.timeout,
      client: httpClientFromSettings(settings),
    });
  },
  follows: {
    from: 'drain',
    stage: 'deploy',
    wrap(deploy, { config, logger }) {
      const drain = config.stages.drain;
      if (drain.executor !== 'http' || drain.resumeUrl === null) return deploy;
      if (deploy === null) {
        logger.warn('stages.drain pauses the deployed API but deploy has no executor: nothing will resume it after a drain');
        return null;
      }
      return new ResumeAfterDeployExecutor(deploy, { client: httpClientFromSettings(drain), urlTemplate: drain.resumeUrl });
    },
  },
};
