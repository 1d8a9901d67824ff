import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@stagecraft/config';
import { LocalStageExecutor, type AppRuntime, type ExecutorFactory } from '@stagecraft/engine';
import { HttpDrainExecutor } from './http-drain-executor.js';
import { httpDrainExecutorFactory } from './http-drain-executor-factory.js';
import { HttpTestKernelExecutor } from './http-test-kernel-executor.js';
import { httpTestKernelExecutorFactory } from './http-test-kernel-executor-factory.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';
import { withDrainResume } from './with-drain-resume.js';

const HTTP_DRAIN = {
  executor: 'http',
  pauseUrl: 'https://api.example.com/pause',
  statusUrl: 'https://api.example.com/status',
  resumeUrl: 'https://api.example.com/resume',
  until: { path: '$.pending', value: 0 },
  token: { env: 'API_TOKEN' },
};
const LOCAL_DEPLOY = { command: './deploy.sh' };

/** Only what the factories read of a runtime: its config and logger. */
function runtime(stages: Record<string, unknown>, env: NodeJS.ProcessEnv = { API_TOKEN: 't' }): { runtime: AppRuntime; warnings: string[] } {
  const warnings: string[] = [];
  const config = parseConfig({ stages }, 'stagecraft.yaml', env);
  return { runtime: { config, logger: { warn: (message: string) => warnings.push(message) } } as unknown as AppRuntime, warnings };
}

const localDeploy: ExecutorFactory = ({ config }) =>
  config.stages.deploy.executor === 'local' && config.stages.deploy.command
    ? new LocalStageExecutor({ command: config.stages.deploy.command, timeoutMs: 1000, cwd: null, env: {} })
    : null;

describe('withDrainResume', () => {
  it('adds the resume to deploy when drain is http with a resumeUrl', () => {
    const executor = withDrainResume(localDeploy)(runtime({ drain: HTTP_DRAIN, deploy: LOCAL_DEPLOY }).runtime);
    expect(executor).toBeInstanceOf(ResumeAfterDeployExecutor);
    expect(executor?.description).toBe('local: ./deploy.sh, then resume the drained API');
  });

  it.each([
    ['drain is local', { command: './drain.sh' }],
    ['drain has no resumeUrl', { ...HTTP_DRAIN, resumeUrl: null }],
  ])('leaves deploy alone when %s', (_name, drain) => {
    expect(withDrainResume(localDeploy)(runtime({ drain, deploy: LOCAL_DEPLOY }).runtime)).toBeInstanceOf(LocalStageExecutor);
  });

  it('warns when nothing would resume the API', () => {
    const { runtime: rt, warnings } = runtime({ drain: HTTP_DRAIN });
    expect(withDrainResume(localDeploy)(rt)).toBeNull();
    expect(warnings).toEqual(['stages.drain pauses the deployed API but deploy has no executor: nothing will resume it after a drain']);
  });

  it('refuses to start with the token variable unset', () => {
    expect(() => withDrainResume(localDeploy)(runtime({ drain: HTTP_DRAIN, deploy: LOCAL_DEPLOY }, {}).runtime)).toThrow(
      'the secret from env API_TOKEN is not set: set API_TOKEN before starting',
    );
  });
});

describe('stage executor factories', () => {
  it('picks the http drain executor when configured, else the local command', () => {
    expect(httpDrainExecutorFactory(runtime({ drain: HTTP_DRAIN }).runtime)).toBeInstanceOf(HttpDrainExecutor);
    expect(httpDrainExecutorFactory(runtime({ drain: { command: './drain.sh' } }).runtime)).toBeInstanceOf(LocalStageExecutor);
    expect(httpDrainExecutorFactory(runtime({}).runtime)).toBeNull();
  });

  it('picks the http test-kernel executor when configured, else the local command', () => {
    const testKernel = { executor: 'http', submissions: [{ name: 'k', url: 'https://api.example.com/tests', pollUrl: 'https://api.example.com/runs/{{id}}' }] };
    expect(httpTestKernelExecutorFactory(runtime({ testKernel }).runtime)?.description).toBe('http: test-kernel (k)');
    expect(httpTestKernelExecutorFactory(runtime({ testKernel }).runtime)).toBeInstanceOf(HttpTestKernelExecutor);
    expect(httpTestKernelExecutorFactory(runtime({ testKernel: { command: './tests.sh' } }).runtime)).toBeInstanceOf(LocalStageExecutor);
  });
});
