import { afterEach, describe, expect, it } from '@jest/globals';
import { HttpDrainExecutor, type HttpDrainSettings } from './http-drain-executor.js';
import { HttpJsonClient } from './http-json-client.js';
import { FakeDeployedApi, type FakeDeployedApiOptions } from '@stagecraft/testing';
import { stageContext } from '@stagecraft/testing';

let api: FakeDeployedApi;
afterEach(async () => api?.stop());

async function drain(apiOptions: FakeDeployedApiOptions, settings: Partial<HttpDrainSettings> = {}, token: string | null = 'drain-token') {
  api = await new FakeDeployedApi({ token: 'drain-token', ...apiOptions }).start();
  const lines: string[] = [];
  const executor = new HttpDrainExecutor({
    pauseUrl: `${api.url}/admin/pause`,
    statusUrl: `${api.url}/admin/status`,
    resumeUrl: `${api.url}/admin/resume`,
    until: { path: '$.queue.pending', op: '==', value: 0 },
    intervalMs: 2,
    timeoutMs: 60_000,
    onTimeout: 'fail',
    client: new HttpJsonClient({ token, requestTimeoutMs: 5000, retries: 3, retryDelayMs: 1 }),
    ...settings,
  });
  const outcome = await executor.run(stageContext(), { signal: new AbortController().signal, log: (line) => lines.push(line) });
  return { outcome, lines };
}

describe('HttpDrainExecutor', () => {
  it('pauses, then waits until the queue is empty; leaves the resume to deploy', async () => {
    const { outcome } = await drain({ pending: 3, drainPerPoll: 1 });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toMatch(/^drained: \$\.queue\.pending == 0 after 3 polls in /);
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /admin/pause', 'GET /admin/status', 'GET /admin/status', 'GET /admin/status']);
    expect(api.paused).toBe(true);
    expect(api.callsTo('POST', '/admin/pause')[0]?.body).toEqual({ cycleId: 'staging-42', sha: 'abc1234def5678' });
    expect(outcome.details).toMatchObject({ polls: 3, lastValue: 0, timedOut: false, condition: '$.queue.pending == 0' });
  });

  it('sends the token as a bearer token and never logs it', async () => {
    const { outcome, lines } = await drain({ pending: 1 });
    expect(outcome.status).toBe('succeeded');
    expect(new Set(api.calls.map((c) => c.authorization))).toEqual(new Set(['Bearer drain-token']));
    expect(JSON.stringify([outcome, lines])).not.toContain('drain-token');
  });

  it('fails on a wrong token, naming the URL and status', async () => {
    const { outcome } = await drain({ pending: 1 }, {}, 'wrong-token');
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe(`POST ${api.url}/admin/pause answered 401 ({"error":"missing or wrong bearer token"}): check the token (stages.*.token) the deployed API expects`);
    expect(JSON.stringify(outcome)).not.toContain('wrong-token');
    expect(api.calls.filter((c) => c.path === '/admin/pause')).toHaveLength(1); // a 4xx is not retried
  });

  it('fails after the timeout with onTimeout: fail, and resumes the API itself', async () => {
    const { outcome, lines } = await drain({ pending: 5, drainPerPoll: 0 }, { timeoutMs: 30, onTimeout: 'fail' });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe('not drained (onTimeout: fail): $.queue.pending was 5 after 30ms, waiting for == 0');
    expect(outcome.details).toMatchObject({ timedOut: true, onTimeout: 'fail', lastValue: 5, resume: { resumed: true, url: `${api.url}/admin/resume` } });
    expect(api.calls.at(-1)).toMatchObject({ method: 'POST', path: '/admin/resume', status: 200 });
    expect(api.paused).toBe(false);
    expect(lines).toContain('drain timed out ($.queue.pending was 5 after 30ms, waiting for == 0); failing as onTimeout: fail says');
  });

  it('goes on after the timeout with onTimeout: proceed, recording it, and keeps the API paused for deploy', async () => {
    const { outcome, lines } = await drain({ pending: 5, drainPerPoll: 0 }, { timeoutMs: 30, onTimeout: 'proceed' });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.summary).toBe('not drained, proceeding (onTimeout: proceed): $.queue.pending was 5 after 30ms, waiting for == 0');
    expect(outcome.details).toMatchObject({ timedOut: true, onTimeout: 'proceed', lastValue: 5 });
    expect(api.callsTo('POST', '/admin/resume')).toHaveLength(0);
    expect(api.paused).toBe(true);
    expect(lines.some((l) => l.includes('proceeding with deploy as onTimeout: proceed says'))).toBe(true);
  });

  it('retries 5xx answers and dropped connections', async () => {
    api = await new FakeDeployedApi().start();
    api.script('POST', '/admin/pause', [503, 'drop']);
    api.script('GET', '/admin/status', [502]);
    const lines: string[] = [];
    const executor = new HttpDrainExecutor({
      pauseUrl: `${api.url}/admin/pause`,
      statusUrl: `${api.url}/admin/status`,
      resumeUrl: null,
      until: { path: '$.queue.pending', op: '<=', value: 0 },
      intervalMs: 2,
      timeoutMs: 60_000,
      onTimeout: 'fail',
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 2, retryDelayMs: 1 }),
    });
    const outcome = await executor.run(stageContext(), { signal: new AbortController().signal, log: (line) => lines.push(line) });
    expect(outcome.status).toBe('succeeded');
    expect(api.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /admin/pause 503',
      'POST /admin/pause 0',
      'POST /admin/pause 200',
      'GET /admin/status 502',
      'GET /admin/status 200',
    ]);
    expect(lines.filter((l) => l.includes('retry'))).toEqual([
      `POST ${api.url}/admin/pause answered 503; retry 1/2 in 1ms`,
      expect.stringMatching(new RegExp(`^POST ${api.url}/admin/pause failed \\(.+\\); retry 2/2 in 2ms$`)),
      `GET ${api.url}/admin/status answered 502; retry 1/2 in 1ms`,
    ]);
  });

  it('fails once the retries are spent, naming the URL and status, and resumes', async () => {
    api = await new FakeDeployedApi({ pending: 2 }).start();
    api.script('GET', '/admin/status', [500, 500, 500, 500]);
    const executor = new HttpDrainExecutor({
      pauseUrl: `${api.url}/admin/pause`,
      statusUrl: `${api.url}/admin/status?env={{env}}`,
      resumeUrl: `${api.url}/admin/resume`,
      until: { path: '$.queue.pending', op: '==', value: 0 },
      intervalMs: 2,
      timeoutMs: 60_000,
      onTimeout: 'proceed',
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 3, retryDelayMs: 1 }),
    });
    const outcome = await executor.run(stageContext(), { signal: new AbortController().signal, log: () => undefined });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe(
      `GET ${api.url}/admin/status?env=staging answered 500 after 4 attempts ({"error":"scripted 500"}): the deployed API is failing: check its logs, or raise stages.*.retries`,
    );
    expect(api.callsTo('POST', '/admin/resume')).toHaveLength(1);
  });

  it('reports a connection error with the URL', async () => {
    api = await new FakeDeployedApi().start();
    const url = api.url;
    await api.stop();
    const executor = new HttpDrainExecutor({
      pauseUrl: `${url}/admin/pause`,
      statusUrl: `${url}/admin/status`,
      resumeUrl: null,
      until: { path: '$.queue.pending', op: '==', value: 0 },
      intervalMs: 2,
      timeoutMs: 60_000,
      onTimeout: 'fail',
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 1, retryDelayMs: 1 }),
    });
    const outcome = await executor.run(stageContext(), { signal: new AbortController().signal, log: () => undefined });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toBe(
      `POST ${url}/admin/pause failed after 2 attempts: ECONNREFUSED: check that the deployed API is up and the URL in the stage config is right`,
    );
  });

  it('stops polling when cancelled, reports cancelled and resumes', async () => {
    api = await new FakeDeployedApi({ pending: 1000, drainPerPoll: 0 }).start();
    const controller = new AbortController();
    const executor = new HttpDrainExecutor({
      pauseUrl: `${api.url}/admin/pause`,
      statusUrl: `${api.url}/admin/status`,
      resumeUrl: `${api.url}/admin/resume`,
      until: { path: '$.queue.pending', op: '==', value: 0 },
      intervalMs: 1,
      timeoutMs: 60_000,
      onTimeout: 'fail',
      client: new HttpJsonClient({ token: null, requestTimeoutMs: 5000, retries: 0, retryDelayMs: 1 }),
    });
    let waits = 0;
    // The cancel listener aborts the signal mid-poll; here the third "waiting" line does.
    const log = (line: string) => {
      if (line.startsWith('waiting:') && ++waits === 3) controller.abort('cycle cancelled');
    };
    const outcome = await executor.run(stageContext(), { signal: controller.signal, log });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.summary).toBe('drain stopped: the cycle was cancelled');
    expect(api.callsTo('GET', '/admin/status')).toHaveLength(3);
    expect(api.calls.at(-1)).toMatchObject({ method: 'POST', path: '/admin/resume', status: 200 });
    expect(outcome.details).toMatchObject({ polls: 3, resume: { resumed: true } });
  });
});
