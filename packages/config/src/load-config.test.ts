import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from './load-config.js';
import { problemsOf } from './test-support/problems-of.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const E2E_FIXTURE = join(REPO_ROOT, 'test/e2e/fixtures/stagecraft.e2e.yaml');
const DEMO_CONFIG = join(REPO_ROOT, 'examples/stagecraft.yaml');

let dir: string;
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-config-'));
  write('stagecraft.yaml', 'redis: { prefix: from-cwd }\n');
  write('named.yaml', 'redis: { prefix: from-path }\n');
  write('conf/env.yaml', 'redis: { prefix: from-env }\ngithub:\n  privateKey: { file: keys/app.pem }\n');
  write('conf/keys/app.pem', 'PRIVATE KEY\n');
  write('bad.yaml', 'policy:\n  settle: 5m\n settleMax: 6m\n');
  write('invalid.yaml', '# settings\npolicy:\n  settle: five\n');
  write('list.yaml', '- a\n- b\n');
  write('missing-key.yaml', 'github:\n  privateKey: { file: nowhere.pem }\n');
  mkdirSync(join(dir, 'empty'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('loads the e2e fixture', () => {
    const config = loadConfig({ path: E2E_FIXTURE, env: { GITHUB_WEBHOOK_SECRET: 'hook', STAGECRAFT_DASHBOARD_TOKEN: 'tok' } });
    expect(config.repositories.map((r) => r.name)).toEqual(['Codertocat/Hello-World']);
    expect(config.github.webhookSecret.reveal()).toBe('hook');
    expect(config.apps.dashboard.token.reveal()).toBe('tok');
    expect(config.policy).toEqual({ settle: 300, settleMax: 1000, throttle: 1000, fullInterval: 3_600_000, idleCheck: 3_600_000, idleCheckEvery: 3_600_000, maxRestarts: 1, rerunFailedStage: 1, bisect: true });
    expect(config.environments).toEqual({ staging: { auto: true, approval: false, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 }, production: { auto: false, approval: true, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 } });
    expect(config.components).toEqual([
      {
        name: 'api',
        repository: 'Codertocat/Hello-World',
        paths: ['examples/demo-service/src/**', 'src/**'],
        configPaths: ['tests/**'],
        images: ['localhost/demo-api'],
        context: 'examples/demo-service',
        deployments: ['api'],
      },
    ]);
    expect(config.stages.testKernel).toMatchObject({ executor: 'local', command: 'node examples/demo-service/bin/test-kernel.mjs', timeout: 30_000, cwd: null, killGrace: 500 });
    expect(Object.keys(config.stages.testKernel.executor === 'local' ? config.stages.testKernel.env : {})).toEqual(['DEMO_STATE_DIR', 'DEMO_FAIL_TESTS']);
    expect(config.workers).toEqual({ concurrency: 1, lockDuration: 2000, stalledInterval: 1000, maxStalledCount: 3, shutdownGrace: 5000 });
  });

  it('loads the demo config', () => {
    const config = loadConfig({ path: DEMO_CONFIG, env: {} });
    expect(config.policy.settle).toBe(10_000);
    expect(config.components.map((c) => c.name)).toEqual(['api']);
    expect(config.github.webhookSecret.isSet).toBe(false);
  });

  it.each<[string, { path?: string; env?: NodeJS.ProcessEnv; cwd?: string }, string]>([
    ['the path given first', { path: 'named.yaml', env: { STAGECRAFT_CONFIG: 'conf/env.yaml' } }, 'from-path'],
    ['STAGECRAFT_CONFIG next', { env: { STAGECRAFT_CONFIG: 'conf/env.yaml' } }, 'from-env'],
    ['./stagecraft.yaml next', { env: {} }, 'from-cwd'],
    ['an empty STAGECRAFT_CONFIG as unset', { env: { STAGECRAFT_CONFIG: '' } }, 'from-cwd'],
    ['defaults when there is no file', { env: {}, cwd: 'empty' }, 'stagecraft'],
    ['env overrides over the file', { env: { STAGECRAFT_REDIS__PREFIX: 'from-override' } }, 'from-override'],
  ])('takes %s', (_name, options, prefix) => {
    const cwd = options.cwd !== undefined ? join(dir, options.cwd) : dir;
    expect(loadConfig({ ...options, cwd }).redis.prefix).toBe(prefix);
  });

  it('reads a secret file relative to the config file, without its trailing newline', () => {
    const config = loadConfig({ env: { STAGECRAFT_CONFIG: 'conf/env.yaml' }, cwd: dir });
    expect(config.github.privateKey?.reveal()).toBe('PRIVATE KEY');
    expect(config.github.privateKey?.source).toBe(`file ${join(dir, 'conf/keys/app.pem')}`);
  });

  it.each<[string, { path?: string; env?: NodeJS.ProcessEnv }, () => string[]]>([
    ['a missing --config file', { path: 'nope.yaml' }, () => [`cannot read the config file ${join(dir, 'nope.yaml')} (no such file), named by the config path given: check the path`]],
    ['a missing STAGECRAFT_CONFIG file', { env: { STAGECRAFT_CONFIG: 'gone.yaml' } }, () => [`cannot read the config file ${join(dir, 'gone.yaml')} (no such file), named by STAGECRAFT_CONFIG: check the path`]],
    ['a directory', { path: 'empty' }, () => [`cannot read the config file ${join(dir, 'empty')} (it is a directory), named by the config path given: check the path`]],
    ['invalid YAML', { path: 'bad.yaml' }, () => ['bad.yaml: line 3, column 1: invalid YAML: All mapping items must start at the same column']],
    ['an invalid value', { path: 'invalid.yaml' }, () => ['invalid.yaml: policy.settle: expected a duration like "5m", got "five"']],
    ['a list for a file', { path: 'list.yaml' }, () => ['list.yaml: expected a mapping of settings at the top level, got a list']],
    [
      'a missing secret file',
      { path: 'missing-key.yaml' },
      () => [`missing-key.yaml: github.privateKey: cannot read secret file ${join(dir, 'nowhere.pem')} (no such file): create it, or point this field at the file that holds the secret`],
    ],
    ['an env problem with no file', { env: { STAGECRAFT_LOG__LEVEL: 'loud' } }, () => ['STAGECRAFT_LOG__LEVEL: expected "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent", got "loud"']],
  ])('reports %s', (_name, options, expected) => {
    expect(problemsOf(() => loadConfig({ env: {}, ...options, cwd: dir }))).toEqual(expected());
  });
});
