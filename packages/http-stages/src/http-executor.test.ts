import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@stagecraft/config';
import { ExecutorRegistry, LocalStageExecutor, localExecutor, type ExecutorDeps } from '@stagecraft/executors';
import { createLogger } from '@stagecraft/telemetry';
import { HttpDrainExecutor } from './http-drain-executor.js';
import { httpExecutor } from './http-executor.js';
import { HttpTestKernelExecutor } from './http-test-kernel-executor.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';

const HTTP_DRAIN = {
  executor: 'http',
  pauseUrl: 'https://api.example.com/pause',
  statusUrl: 'https://api.example.com/status',
  resumeUrl: 'https://api.example.com/resume',
  until: { path: '$.pending', value: 0 },
  token: { env: 'API_TOKEN' },
};
const LOCAL_DEPLOY = { command: './deploy.sh' };

/** What executors are built from, with the warnings they log collected. */
function deps(stages: Record<string, unknown>, env: NodeJS.ProcessEnv = { API_TOKEN: 't' }): { deps: ExecutorDeps; warnings: string[] } {
  const warnings: string[] = [];
  const config = parseConfig({ stages }, 'stagecraft.yaml', env);
  const logger = createLogger({ app: 'deploy', level: 'warn', destination: { write: (line: string) => warnings.push(JSON.parse(line).msg) } });
  return { deps: { config, logger, redis: () => { throw new Error('no Redis in this test'); } }, warnings };
}

// The deploy worker's registry: local and kubernetes deploy, plus the http drain's resume after deploy.
const deployWorker = new ExecutorRegistry([localExecutor, httpExecutor]);
const worker = new ExecutorRegistry([localExecutor, httpExecutor]);

describe('the http drain followed by deploy', () => {
  it('adds the resume to deploy when drain is http with a resumeUrl', () => {
    const executor = deployWorker.executorFor('deploy', deps({ drain: HTTP_DRAIN, deploy: LOCAL_DEPLOY }).deps);
    expect(executor).toBeInstanceOf(ResumeAfterDeployExecutor);
    expect(executor?.description).toBe('local: ./deploy.sh, then resume the drained API');
  });

  it.each([
    ['drain is local', { command: './drain.sh' }],
    ['drain has no resumeUrl', { ...HTTP_DRAIN, resumeUrl: null }],
  ])('leaves deploy alone when %s', (_name, drain) => {
    expect(deployWorker.executorFor('deploy', deps({ drain, deploy: LOCAL_DEPLOY }).deps)).toBeInstanceOf(LocalStageExecutor);
  });

  it('warns when nothing would resume the API', () => {
    const { deps: d, warnings } = deps({ drain: HTTP_DRAIN });
    expect(deployWorker.executorFor('deploy', d)).toBeNull();
    expect(warnings).toEqual(['stages.drain pauses the deployed API but deploy has no executor: nothing will resume it after a drain']);
  });

  it('refuses to start with the token variable unset', () => {
    expect(() => deployWorker.executorFor('deploy', deps({ drain: HTTP_DRAIN, deploy: LOCAL_DEPLOY }, {}).deps)).toThrow(
      'the secret from env API_TOKEN is not set: set API_TOKEN before starting',
    );
  });
});

describe('the http executor in the registry', () => {
  it('picks the http drain executor when configured, else the local command', () => {
    expect(worker.executorFor('drain', deps({ drain: HTTP_DRAIN }).deps)).toBeInstanceOf(HttpDrainExecutor);
    expect(worker.executorFor('drain', deps({ drain: { command: './drain.sh' } }).deps)).toBeInstanceOf(LocalStageExecutor);
    expect(worker.executorFor('drain', deps({}).deps)).toBeNull();
  });

  it('picks the http test-kernel executor when configured, else the local command', () => {
    const testKernel = { executor: 'http', submissions: [{ name: 'k', url: 'https://api.example.com/tests', pollUrl: 'https://api.example.com/runs/{{id}}' }] };
    expect(worker.executorFor('test-kernel', deps({ testKernel }).deps)?.description).toBe('http: test-kernel (k)');
    expect(worker.executorFor('test-kernel', deps({ testKernel }).deps)).toBeInstanceOf(HttpTestKernelExecutor);
    expect(worker.executorFor('test-kernel', deps({ testKernel: { command: './tests.sh' } }).deps)).toBeInstanceOf(LocalStageExecutor);
  });

  it('tells the operator when a worker cannot run the configured kind', () => {
    const drainOnlyLocal = new ExecutorRegistry([localExecutor]);
    expect(() => drainOnlyLocal.executorFor('drain', deps({ drain: HTTP_DRAIN }).deps)).toThrow(
      'stages.drain.executor is "http", which this drain worker cannot run: it runs "local"',
    );
  });
});
