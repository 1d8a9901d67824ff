import { afterEach, describe, expect, it } from '@jest/globals';
import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import { cycleReport } from '@stagecraft/github';
import { pushEvent, startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { HttpDrainExecutor } from './http-drain-executor.js';
import { HttpJsonClient } from './http-json-client.js';
import { HttpTestKernelExecutor } from './http-test-kernel-executor.js';
import { ResumeAfterDeployExecutor } from './resume-after-deploy-executor.js';
import { FakeDeployedApi, type FakeDeployedApiOptions } from '@stagecraft/testing';

let h: EngineHarness | undefined;
let api: FakeDeployedApi | undefined;
afterEach(async () => {
  await h?.close();
  await api?.stop();
  h = undefined;
  api = undefined;
});

/** Stands in for the deploy command: notes in the API's call log when the deploy happened. */
class RecordingDeploy implements StageExecutor {
  readonly description = 'local: ./deploy.sh';
  constructor(private readonly fake: FakeDeployedApi) {}
  async run(): Promise<ExecutorOutcome> {
    this.fake.calls.push({ method: 'DEPLOY', path: '-', authorization: null, body: { pausedDuringDeploy: this.fake.paused }, status: 0 });
    return { status: 'succeeded', summary: 'deployed', details: null, outputTail: [] };
  }
}

/** Stage workers on real Redis whose drain, deploy (with resume) and test-kernel talk to the fake deployed API. */
async function start(options: FakeDeployedApiOptions) {
  api = await new FakeDeployedApi({ token: 'api-token', pending: 3, ...options }).start();
  const client = new HttpJsonClient({ token: 'api-token', requestTimeoutMs: 5000, retries: 2, retryDelayMs: 1 });
  const drain = new HttpDrainExecutor({
    pauseUrl: `${api.url}/admin/pause`,
    statusUrl: `${api.url}/admin/status`,
    resumeUrl: `${api.url}/admin/resume`,
    until: { path: '$.queue.pending', op: '==', value: 0 },
    intervalMs: 5,
    timeoutMs: 10_000,
    onTimeout: 'fail',
    client,
  });
  const deploy = new ResumeAfterDeployExecutor(new RecordingDeploy(api), { client, urlTemplate: `${api.url}/admin/resume` });
  const testKernel = new HttpTestKernelExecutor({
    submissions: [
      { name: 'kernel-builds', url: `${api.url}/tests/kernel`, method: 'POST', body: { sha: '{{sha}}' }, resultUrlPath: '$.links.self', idPath: '$.id', pollUrl: null },
      { name: 'reference', url: `${api.url}/tests/reference`, method: 'POST', body: { sha: '{{sha}}' }, resultUrlPath: null, idPath: '$.id', pollUrl: `${api.url}/runs/{{id}}` },
    ],
    results: { status: '$.status', passed: '$.passed', failed: '$.failed', skipped: '$.skipped', url: '$.url' },
    doneStatuses: ['passed', 'failed'],
    errorStatuses: ['error'],
    failWhen: { failed: '>0' },
    intervalMs: 5,
    timeoutMs: 10_000,
    client,
  });
  const executors: Record<string, StageExecutor | undefined> = { drain, deploy, 'test-kernel': testKernel };
  h = await startEngineHarness({ executor: (stage) => executors[stage] ?? null });
  return { api, h };
}

const finishedCycle = (harness: EngineHarness) =>
  harness.waitFor('a finished cycle', async () => (await harness.listCycles()).find((c) => c.state !== 'running'), 30_000);

describe('http drain and test-kernel in a full cycle run by the stage workers on Redis', () => {
  it('drains, deploys while paused, resumes, then records the test results the notifier reports', async () => {
    const { api, h } = await start({
      testRun: (suite) => ({ pollsUntilDone: 2, result: suite === 'kernel' ? { status: 'passed', passed: 12, failed: 0, skipped: 1 } : { status: 'passed', passed: 40, failed: 0, skipped: 0 } }),
    });
    const push = pushEvent({ paths: ['services/api/src/server.ts'] });
    await h.engine.handleEvent(push);
    const cycle = await finishedCycle(h);

    expect(cycle.kind).toBe('full');
    expect(cycle.state).toBe('succeeded');
    const order = api.calls.map((c) => `${c.method} ${c.path}`).filter((c) => !c.startsWith('GET /runs/'));
    expect(order.slice(0, 4)).toEqual(['POST /admin/pause', 'GET /admin/status', 'GET /admin/status', 'GET /admin/status']);
    expect(order.slice(4, 6)).toEqual(['DEPLOY -', 'POST /admin/resume']);
    expect(order.slice(6).sort()).toEqual(['POST /tests/kernel', 'POST /tests/reference']);
    expect(api.callsTo('DEPLOY', '-')[0]?.body).toEqual({ pausedDuringDeploy: true });
    expect(api.paused).toBe(false);
    expect(api.callsTo('POST', '/tests/kernel')[0]?.body).toEqual({ sha: cycle.stagingSha ?? cycle.mainSha });

    const stages = Object.fromEntries(cycle.stages.map((s) => [s.stage, s]));
    expect(stages['drain']).toMatchObject({ status: 'succeeded', details: { polls: 3, lastValue: 0, timedOut: false } });
    expect(stages['deploy']).toMatchObject({ status: 'succeeded', details: { resume: { resumed: true } } });
    expect(stages['test-kernel']).toMatchObject({ status: 'succeeded', summary: '2 test runs: 52 passed, 0 failed, 1 skipped', details: { totals: { passed: 52, failed: 0, skipped: 1 } } });
    const report = cycleReport(cycle, { number: 1, sha: 'abc1234' }, { cycleUrl: null }, Date.now()).summary;
    expect(report).toContain('Tests: 52 passed, 0 failed, 1 skipped');
    expect(report).toMatch(/- kernel-builds: passed — 12 passed, 0 failed, 1 skipped \(\[results\]\(http:\/\/127\.0\.0\.1:\d+\/ui\/runs\/run-[12]\)\)/);
  });

  it('fails the cycle on a failed test, with the count in the cycle record', async () => {
    const { h } = await start({ pending: 0, testRun: (suite) => ({ pollsUntilDone: 1, result: { status: suite === 'kernel' ? 'failed' : 'passed', passed: 5, failed: suite === 'kernel' ? 1 : 0 } }) });
    await h.engine.handleEvent(pushEvent({ paths: ['services/api/src/server.ts'] }));
    const cycle = await finishedCycle(h);

    expect(cycle.state).toBe('failed');
    const testKernel = cycle.stages.find((s) => s.stage === 'test-kernel');
    expect(testKernel).toMatchObject({ status: 'failed', summary: '2 test runs: 10 passed, 1 failed, 0 skipped — failed: failed > 0 (1)', details: { totals: { passed: 10, failed: 1, skipped: 0 } } });
  });
});
