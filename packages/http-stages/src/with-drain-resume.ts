import type { ExecutorFactory } from '@stagecraft/engine';
import { httpClientFromSettings } from './http-client-from-settings.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';

/**
 * The deploy app's executor factory, plus the http drain's resume after each deploy when
 * stages.drain is `executor: http` with a resumeUrl (see ResumeAfterDeployExecutor for why there).
 */
export function withDrainResume(deployFactory: ExecutorFactory): ExecutorFactory {
  return (runtime) => {
    const deploy = deployFactory(runtime);
    const drain = runtime.config.stages.drain;
    if (drain.executor !== 'http' || drain.resumeUrl === null) return deploy;
    if (deploy === null) {
      runtime.logger.warn('stages.drain pauses the deployed API but deploy has no executor: nothing will resume it after a drain');
      return null;
    }
    return new ResumeAfterDeployExecutor(deploy, { client: httpClientFromSettings(drain), urlTemplate: drain.resumeUrl });
  };
}
