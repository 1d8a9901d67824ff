import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from './parse-config.js';
import { maskedConfig } from './masked-config.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';
const DRAIN = {
  executor: 'http',
  pauseUrl: 'https://api.staging.example.com/admin/pause',
  statusUrl: 'https://api.{{env}}.example.com/admin/status',
  resumeUrl: 'https://api.staging.example.com/admin/resume',
  until: { path: '$.queue.pending', value: 0 },
};
const SUBMISSION = { name: 'kernel', url: 'https://api.staging.example.com/tests', body: { sha: '{{sha}}', components: '{{components}}' }, pollUrl: 'https://api.staging.example.com/tests/{{id}}' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-http-config-'));
  writeFileSync(join(dir, 'api-token'), 's3cret-token\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('http drain executor config', () => {
  it('completes the defaults', () => {
    expect(parseConfig({ stages: { drain: DRAIN } }, FILE, {}).stages.drain).toEqual({
      ...DRAIN,
      until: { path: '$.queue.pending', op: '==', value: 0 },
      timeout: 900_000,
      interval: 5000,
      onTimeout: 'fail',
      token: null,
      requestTimeout: 30_000,
      retries: 3,
      retryDelay: 1000,
    });
  });

  it('reads the token from a file and never prints it', () => {
    const config = parseConfig({ stages: { drain: { ...DRAIN, token: { file: 'api-token' } } } }, FILE, {}, { baseDir: dir });
    const drain = config.stages.drain;
    expect(drain.executor === 'http' && drain.token?.reveal()).toBe('s3cret-token');
    expect(JSON.stringify(maskedConfig(config))).not.toContain('s3cret-token');
    expect((maskedConfig(config) as { stages: { drain: { token: string } } }).stages.drain.token).toBe('***');
  });

  it('reads the token from env', () => {
    const drain = parseConfig({ stages: { drain: { ...DRAIN, token: { env: 'API_TOKEN' } } } }, FILE, { API_TOKEN: 'from-env' }).stages.drain;
    expect(drain.executor === 'http' && drain.token?.reveal()).toBe('from-env');
  });

  it('takes a field from an env override', () => {
    const drain = parseConfig({ stages: { drain: DRAIN } }, FILE, { STAGECRAFT_STAGES__DRAIN__ON_TIMEOUT: 'proceed' }).stages.drain;
    expect(drain.executor === 'http' && drain.onTimeout).toBe('proceed');
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a status URL that is no URL', { statusUrl: 'api/status' }, [`${FILE}: stages.drain.statusUrl: expected an http(s) URL like "https://api.staging.example.com/admin/status", got "api/status"`]],
    ['a URL of another scheme', { pauseUrl: 'ftp://x/pause' }, [`${FILE}: stages.drain.pauseUrl: expected an http or https URL, got ftp`]],
    [
      'an unknown placeholder',
      { resumeUrl: 'https://x/{{branch}}/resume' },
      [`${FILE}: stages.drain.resumeUrl: unknown placeholder {{branch}}: use {{sha}}, {{shortSha}}, {{mainSha}}, {{cycleId}}, {{env}}, {{kind}}, {{components}}, {{attempt}}`],
    ],
    ['a bad JSON path', { until: { path: 'queue.pending', value: 0 } }, [`${FILE}: stages.drain.until.path: expected a JSON path like "$.queue.pending" or "$.items[0].status" (dots and [index] only)`]],
    ['an unknown operator', { until: { path: '$.n', op: '=', value: 0 } }, [`${FILE}: stages.drain.until.op: expected one of == != < <= > >=`]],
    ['a bad onTimeout', { onTimeout: 'force' }, [`${FILE}: stages.drain.onTimeout: expected "fail" or "proceed"`]],
    ['a literal token', { token: 'abc' }, [`${FILE}: stages.drain.token: secrets cannot be written into the config: use { env: NAME } to read it from an environment variable or { file: PATH } to read it from a file`]],
    ['negative retries', { retries: -1 }, [`${FILE}: stages.drain.retries: must be at least 0, got -1`]],
    ['a missing status URL', { statusUrl: undefined }, [`${FILE}: stages.drain.statusUrl: required, but missing`]],
    ['a field of test-kernel', { submissions: [] }, [`${FILE}: stages.drain.submissions: unknown field`]],
  ])('reports %s', (_name, change, expected) => {
    expect(problemsOf(() => parseConfig({ stages: { drain: { ...DRAIN, ...change } } }, FILE, {}))).toEqual(expected);
  });
});

describe('http test-kernel executor config', () => {
  it('completes the defaults', () => {
    const testKernel = parseConfig({ stages: { testKernel: { executor: 'http', submissions: [SUBMISSION] } } }, FILE, {}).stages.testKernel;
    expect(testKernel).toMatchObject({
      executor: 'http',
      timeout: 7_200_000,
      interval: 10_000,
      submissions: [{ ...SUBMISSION, method: 'POST', resultUrlPath: null, idPath: '$.id' }],
      results: { status: '$.status', passed: '$.passed', failed: '$.failed', skipped: '$.skipped', url: '$.url' },
      failWhen: { failed: '>0' },
      token: null,
      retries: 3,
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no submissions', { submissions: [] }, [`${FILE}: stages.testKernel.submissions: expected at least one submission (name, url, …)`]],
    [
      'a submission without a place to poll',
      { submissions: [{ name: 'a', url: 'https://x/tests' }] },
      [`${FILE}: stages.testKernel.submissions.0.pollUrl: say where to poll for the result: resultUrlPath (a JSON path to a URL in the answer) or pollUrl (a URL template with {{id}})`],
    ],
    [
      'an unknown body placeholder',
      { submissions: [{ ...SUBMISSION, body: { ref: ['{{branch}}'] } }] },
      [`${FILE}: stages.testKernel.submissions.0.body.ref.0: unknown placeholder {{branch}}: use {{sha}}, {{shortSha}}, {{mainSha}}, {{cycleId}}, {{env}}, {{kind}}, {{components}}, {{attempt}}`],
    ],
    ['a bad result path', { submissions: [SUBMISSION], results: { passed: 'passed' } }, [`${FILE}: stages.testKernel.results.passed: expected a JSON path like "$.queue.pending" or "$.items[0].status" (dots and [index] only)`]],
    ['a bad failure rule', { submissions: [SUBMISSION], failWhen: { failed: 'more than 0' } }, [`${FILE}: stages.testKernel.failWhen.failed: expected a comparison with a whole number, like ">0" or ">=3"`]],
    ['a bad method', { submissions: [{ ...SUBMISSION, method: 'GET' }] }, [`${FILE}: stages.testKernel.submissions.0.method: expected POST or PUT`]],
  ])('reports %s', (_name, testKernel, expected) => {
    expect(problemsOf(() => parseConfig({ stages: { testKernel: { executor: 'http', ...testKernel } } }, FILE, {}))).toEqual(expected);
  });
});
