import { afterEach, describe, expect, it } from '@jest/globals';
import { HAND_BACK, type ExecutorOutcome, type StageExecutor } from '@stagecraft/executors';
import { HttpJsonClient } from './http-json-client.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';
import { FakeDeployedApi } from '@stagecraft/testing';
import { stageContext } from '@stagecraft/testing';

let api: FakeDeployedApi;
afterEach(async () => api?.stop());

/** A deploy executor that records when it ran against the fake API (a real executor's place in the order). */
class ScriptedDeploy implements StageExecutor {
  readonly description = 'local: ./deploy.sh';
  constructor(private readonly result: ExecutorOutcome | Error, private readonly onRun: () => void = () => undefined) {}
  async run(): Promise<ExecutorOutcome> {
    api.calls.push({ method: 'DEPLOY', path: '-', authorization: null, body: null, status: 0 });
    this.onRun();
    if (this.result instanceof Error) throw this.result;
    return this.result;
  }
}

const SUCCEEDED: ExecutorOutcome = { status: 'succeeded', summary: 'command succeeded in 2s', details: { exitCode: 0 }, outputTail: ['deployed'] };
const FAILED: ExecutorOutcome = { status: 'failed', summary: 'command exited with code 1', details: { exitCode: 1 }, outputTail: ['rollout failed'] };

async function deployWithResume(deploy: (api: FakeDeployedApi) => StageExecutor, signal = new AbortController().signal) {
  api = await new FakeDeployedApi({ token: 't0k' }).start();
  api.paused = true; // drain paused it
  const executor = new ResumeAfterDeployExecutor(deploy(api), {
    client: new HttpJsonClient({ token: 't0k', requestTimeoutMs: 5000, retries: 2, retryDelayMs: 1 }),
    urlTemplate: `${api.url}/admin/resume?cycle={{cycleId}}`,
  });
  const lines: string[] = [];
  return { executor, run: () => executor.run(stageContext({ stage: 'deploy' }), { signal, log: (l) => lines.push(l) }), lines };
}

describe('ResumeAfterDeployExecutor', () => {
  it.each([
    ['a deploy that succeeded', SUCCEEDED],
    ['a deploy that failed (and rolled back)', FAILED],
  ])('resumes the drained API after %s, keeping its outcome', async (_name, result) => {
    const { run, executor } = await deployWithResume(() => new ScriptedDeploy(result));
    const outcome = await run();
    expect(executor.description).toBe('local: ./deploy.sh, then resume the drained API');
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DEPLOY -', 'POST /admin/resume']);
    expect(api.calls[1]).toMatchObject({ authorization: 'Bearer t0k', status: 200, body: { cycleId: 'staging-42', sha: 'abc1234def5678' } });
    expect(api.paused).toBe(false);
    expect(outcome).toEqual({
      ...result,
      details: { ...result.details, resume: { url: `${api.url}/admin/resume?cycle=staging-42`, resumed: true } },
      outputTail: [...result.outputTail, `resumed the deployed API (${api.url}/admin/resume?cycle=staging-42)`],
    });
  });

  it('retries a failing resume, then fails a successful deploy: the API still does not take work', async () => {
    const { run } = await deployWithResume((fake) => {
      fake.script('POST', '/admin/resume', [503, 503, 503]);
      return new ScriptedDeploy(SUCCEEDED);
    });
    const outcome = await run();
    expect(api.callsTo('POST', '/admin/resume').map((c) => c.status)).toEqual([503, 503, 503]);
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe(
      `command succeeded in 2s, but the deployed API stays paused: POST ${api.url}/admin/resume?cycle=staging-42 answered 503 after 3 attempts ({"error":"scripted 503"}): the deployed API is failing: check its logs, or raise stages.*.retries`,
    );
    expect(api.paused).toBe(true);
  });

  it('resumes when the deploy executor throws, and rethrows', async () => {
    const { run } = await deployWithResume(() => new ScriptedDeploy(new Error('kubeconfig unreadable')));
    await expect(run()).rejects.toThrow('kubeconfig unreadable');
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DEPLOY -', 'POST /admin/resume']);
  });

  it('does not resume when the worker hands the deploy back (it runs again elsewhere at once)', async () => {
    const controller = new AbortController();
    const stopped: ExecutorOutcome = { status: 'cancelled', summary: 'command stopped', details: null, outputTail: [] };
    const { run } = await deployWithResume(() => new ScriptedDeploy(stopped, () => controller.abort(HAND_BACK)), controller.signal);
    const outcome = await run();
    expect(outcome).toEqual(stopped);
    expect(api.callsTo('POST', '/admin/resume')).toHaveLength(0);
  });

  it('resumes after a deploy the cycle cancelled', async () => {
    const controller = new AbortController();
    const stopped: ExecutorOutcome = { status: 'cancelled', summary: 'command stopped: the cycle was cancelled', details: null, outputTail: [] };
    const { run } = await deployWithResume(() => new ScriptedDeploy(stopped, () => controller.abort('cancelled')), controller.signal);
    const outcome = await run();
    expect(outcome.status).toBe('cancelled');
    expect(api.callsTo('POST', '/admin/resume')).toHaveLength(1);
  });

  it.each([
    ['drain had paused it', [{ stage: 'drain', status: 'succeeded' }], ['POST /admin/resume'], false],
    ['drain never ran', [{ stage: 'build', status: 'failed' }], [], true],
  ])('when deploy does not run and %s, resumes only then', async (_name, earlier, calls, pausedAfter) => {
    const { executor } = await deployWithResume(() => new ScriptedDeploy(SUCCEEDED));
    const lines: string[] = [];
    await executor.notRun(stageContext({ stage: 'deploy' }), { reason: 'cycle cancelled before deploy started', earlier: earlier as never }, { log: (l) => lines.push(l) });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(calls);
    expect(api.paused).toBe(pausedAfter);
  });
});
