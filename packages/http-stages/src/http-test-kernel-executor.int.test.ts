import { afterEach, describe, expect, it } from '@jest/globals';
import { HttpJsonClient } from './http-json-client.js';
import { HttpTestKernelExecutor, type HttpSubmission, type HttpTestKernelSettings } from './http-test-kernel-executor.js';
import { FakeDeployedApi, type FakeDeployedApiOptions } from '@stagecraft/testing';
import { stageContext } from '@stagecraft/testing';

let api: FakeDeployedApi;
afterEach(async () => api?.stop());

const RESULTS = { status: '$.status', passed: '$.passed', failed: '$.failed', skipped: '$.skipped', url: '$.url' };

function submissions(url: string): HttpSubmission[] {
  return [
    // The answer's links.self is where the result is (relative to the submission URL).
    {
      name: 'kernel-builds',
      url: `${url}/tests/kernel-builds`,
      method: 'POST',
      body: { sha: '{{sha}}', cycle: '{{cycleId}}', env: '{{env}}', kind: '{{kind}}', components: '{{components}}' },
      resultUrlPath: '$.links.self',
      idPath: '$.id',
      pollUrl: null,
    },
    // The answer's id goes into a poll URL template.
    { name: 'reference', url: `${url}/tests/reference`, method: 'PUT', body: { ref: 'staging-{{shortSha}}' }, resultUrlPath: null, idPath: '$.id', pollUrl: `${url}/runs/{{id}}` },
  ];
}

async function testKernel(apiOptions: FakeDeployedApiOptions, settings: Partial<HttpTestKernelSettings> = {}, signal = new AbortController().signal) {
  api = await new FakeDeployedApi({ token: 'tk-token', ...apiOptions }).start();
  const lines: string[] = [];
  const executor = new HttpTestKernelExecutor({
    submissions: submissions(api.url),
    results: RESULTS,
    doneStatuses: ['passed', 'failed', 'error'],
    errorStatuses: ['error'],
    failWhen: { failed: '>0' },
    intervalMs: 2,
    timeoutMs: 60_000,
    client: new HttpJsonClient({ token: 'tk-token', requestTimeoutMs: 5000, retries: 3, retryDelayMs: 1 }),
    ...settings,
  });
  const outcome = await executor.run(stageContext({ stage: 'test-kernel' }), { signal, log: (line) => lines.push(line) });
  return { outcome, lines };
}

describe('HttpTestKernelExecutor', () => {
  it('submits each test run with its templated body, polls the results and collects counts and links', async () => {
    const { outcome, lines } = await testKernel({
      testRun: (suite) =>
        suite === 'kernel-builds'
          ? { pollsUntilDone: 3, result: { status: 'passed', passed: 12, failed: 0, skipped: 1 } }
          : { pollsUntilDone: 1, result: { status: 'passed', passed: 40, failed: 0, skipped: 2 } },
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toBe('2 test runs: 52 passed, 0 failed, 3 skipped');
    expect(api.callsTo('POST', '/tests/kernel-builds')[0]?.body).toEqual({
      sha: 'abc1234def5678',
      cycle: 'staging-42',
      env: 'staging',
      kind: 'full',
      components: ['api', 'worker'],
    });
    expect(api.callsTo('PUT', '/tests/reference')[0]?.body).toEqual({ ref: 'staging-abc1234' });
    expect(api.calls.filter((c) => c.path.startsWith('/runs/')).map((c) => c.path).sort()).toEqual(['/runs/run-1', '/runs/run-1', '/runs/run-1', '/runs/run-2']);
    expect(new Set(api.calls.map((c) => c.authorization))).toEqual(new Set(['Bearer tk-token']));
    const [kernel, reference] = outcome.details?.['tests'] as Array<Record<string, unknown>>;
    expect(outcome.details).toMatchObject({ totals: { passed: 52, failed: 0, skipped: 3 }, failedBecause: [] });
    expect([kernel?.['name'], reference?.['name']]).toEqual(['kernel-builds', 'reference']);
    for (const test of [kernel, reference]) {
      expect(test).toEqual({
        name: test?.['name'],
        status: 'passed',
        passed: test?.['name'] === 'kernel-builds' ? 12 : 40,
        failed: 0,
        skipped: test?.['name'] === 'kernel-builds' ? 1 : 2,
        url: expect.stringMatching(new RegExp(`^${api.url}/ui/runs/run-[12]$`)),
        resultUrl: expect.stringMatching(new RegExp(`^${api.url}/runs/run-[12]$`)),
      });
    }
    expect(JSON.stringify([outcome, lines])).not.toContain('tk-token');
  });

  it('fails the stage when a test failed, by the failWhen rule', async () => {
    const { outcome } = await testKernel({
      testRun: (suite) => ({ pollsUntilDone: 1, result: suite === 'reference' ? { status: 'failed', passed: 38, failed: 2, skipped: 0 } : { status: 'passed', passed: 5 } }),
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('2 test runs: 43 passed, 2 failed, 0 skipped — failed: failed > 0 (2)');
    expect(outcome.details?.['totals']).toEqual({ passed: 43, failed: 2, skipped: 0 });
    // The two runs are submitted at once, so which got run-1 is up to the server.
    expect(outcome.outputTail).toEqual([
      expect.stringMatching(new RegExp(`^kernel-builds: passed — 5 passed, 0 failed, 0 skipped \\(${api.url}/ui/runs/run-[12]\\)$`)),
      expect.stringMatching(new RegExp(`^reference: failed — 38 passed, 2 failed, 0 skipped \\(${api.url}/ui/runs/run-[12]\\)$`)),
    ]);
  });

  it('passes when the failures stay within the rule', async () => {
    const { outcome } = await testKernel(
      { testRun: () => ({ pollsUntilDone: 1, result: { status: 'failed', passed: 10, failed: 1, skipped: 0 } }) },
      { failWhen: { failed: '>2' } },
    );
    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toBe('2 test runs: 20 passed, 2 failed, 0 skipped');
  });

  it('fails on an error status whatever the counts', async () => {
    const { outcome } = await testKernel({ testRun: (suite) => ({ pollsUntilDone: 1, result: { status: suite === 'reference' ? 'error' : 'passed', passed: 1 } }) });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('2 test runs: 2 passed, 0 failed, 0 skipped — failed: reference: error');
  });

  it('retries 5xx answers of submissions and polls', async () => {
    api = await new FakeDeployedApi().start();
    api.script('POST', '/tests/kernel-builds', [500, 'drop']);
    api.script('GET', '/runs/run-1', [503]);
    const executor = new HttpTestKernelExecutor({
      submissions: submissions(api.url).slice(0, 1),
      results: RESULTS,
      doneStatuses: ['passed', 'failed'],
      errorStatuses: [],
      failWhen: { failed: '>0' },
      intervalMs: 2,
      timeoutMs: 60_000,
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 2, retryDelayMs: 1 }),
    });
    const outcome = await executor.run(stageContext({ stage: 'test-kernel' }), { signal: new AbortController().signal, log: () => undefined });
    expect(outcome.status).toBe('succeeded');
    expect(api.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /tests/kernel-builds 500',
      'POST /tests/kernel-builds 0',
      'POST /tests/kernel-builds 201',
      'GET /runs/run-1 503',
      'GET /runs/run-1 200',
    ]);
  });

  it('fails a submission the API refuses, naming the URL and status, and still collects the others', async () => {
    api = await new FakeDeployedApi({ token: 'tk-token' }).start();
    api.script('PUT', '/tests/reference', [404]);
    const executor = new HttpTestKernelExecutor({
      submissions: submissions(api.url),
      results: RESULTS,
      doneStatuses: ['passed'],
      errorStatuses: [],
      failWhen: { failed: '>0' },
      intervalMs: 2,
      timeoutMs: 60_000,
      client: new HttpJsonClient({ token: 'tk-token', requestTimeoutMs: 5000, retries: 1, retryDelayMs: 1 }),
    });
    const second = await executor.run(stageContext({ stage: 'test-kernel' }), { signal: new AbortController().signal, log: () => undefined });
    expect(second.status).toBe('failed');
    expect(second.summary).toBe(
      `2 test runs: 1 passed, 0 failed, 0 skipped — failed: reference: PUT ${api.url}/tests/reference answered 404 ({"error":"scripted 404"}): check the URL in the stage config`,
    );
    expect((second.details?.['tests'] as Array<{ status: string }>).map((t) => t.status)).toEqual(['passed', 'error']);
  });

  it('fails with what it has when a run has no result within the timeout', async () => {
    const { outcome } = await testKernel(
      { testRun: (suite) => ({ pollsUntilDone: suite === 'reference' ? 1_000_000 : 1, result: { status: 'passed', passed: 3 } }) },
      { timeoutMs: 300 },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('2 test runs: 3 passed, 0 failed, 0 skipped — failed: reference had no result within 300ms');
    expect((outcome.details?.['tests'] as Array<{ status: string }>).map((t) => t.status)).toEqual(['passed', 'timed-out']);
  });

  it('stops polling when cancelled and reports cancelled', async () => {
    const controller = new AbortController();
    api = await new FakeDeployedApi({ testRun: () => ({ pollsUntilDone: 1_000_000, result: { status: 'passed' } }) }).start();
    const executor = new HttpTestKernelExecutor({
      submissions: submissions(api.url),
      results: RESULTS,
      doneStatuses: ['passed'],
      errorStatuses: [],
      failWhen: { failed: '>0' },
      intervalMs: 1,
      timeoutMs: 60_000,
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 0, retryDelayMs: 1 }),
    });
    let polls = 0;
    const log = (line: string) => {
      if (line.includes('polling') && ++polls === 2) controller.abort('cycle cancelled');
    };
    const outcome = await executor.run(stageContext({ stage: 'test-kernel' }), { signal: controller.signal, log });
    expect(outcome.status).toBe('cancelled');
    expect((outcome.details?.['tests'] as Array<{ status: string }>).map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
  });
});
