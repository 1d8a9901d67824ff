import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './errors/config-error.js';
import { maskedConfig } from './masked-config.js';
import { parseConfig } from './parse-config.js';
import { Secret } from './secret.js';
import { problemsOf } from './test-support/problems-of.js';
import type { StagecraftConfig } from './types.js';

const FILE = 'stagecraft.yaml';
const stage = (timeout: number) => ({ executor: 'local', command: null, timeout, env: {}, cwd: null, killGrace: 5000 });

const DEFAULTS = {
  redis: { url: 'redis://127.0.0.1:6379', prefix: 'stagecraft' },
  github: {
    botName: 'stagecraft',
    appId: null,
    privateKey: null,
    webhookSecret: '(unset)',
    checkName: 'stagecraft/staging',
    deployments: true,
    writeInterval: 1000,
    commentInterval: 3000,
    baseUrl: 'https://api.github.com',
  },
  repositories: [{ name: 'example/repo', mainBranch: 'main', stagingBranch: 'staging', compose: { skipLabel: 'staging-skip', maxAge: 1_209_600_000, requireChecks: [] } }],
  policy: { settle: 300_000, settleMax: 900_000, throttle: 1_800_000, fullInterval: 21_600_000, idleCheck: 21_600_000, idleCheckEvery: 900_000, maxRestarts: 1, rerunFailedStage: 1, bisect: true },
  trust: { maintainers: [], trusted: [], approvers: [], admins: [], maintainerPermissions: ['admin', 'maintain'], orgMembersTrusted: false, roleCacheTtl: 600_000 },
  compose: { skipLabel: 'staging-skip', maxAge: 1_209_600_000, requireChecks: [] },
  environments: { staging: { auto: true, approval: false, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 }, production: { auto: false, approval: true, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 } },
  components: [],
  stages: { compose: stage(600_000), build: stage(1_800_000), drain: stage(900_000), deploy: stage(1_200_000), testKernel: stage(7_200_000) },
  workers: { concurrency: 1, lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 2, shutdownGrace: 30_000 },
  apps: {
    ingress: { port: 3000, metricsPort: 4000, bodyLimit: '1mb', requestTimeout: 10_000, maxUnverifiedBytes: '64mb', batchMaxSize: 256, batchMaxWaitMs: 2 },
    dashboard: {
      port: 3001,
      metricsPort: 4001,
      publicUrl: null,
      token: '(unset)',
      tokenUser: 'dashboard',
      users: [],
      sessionTtl: 43_200_000,
      admins: [],
      authFailureLimit: 10,
      authFailureWindow: 900_000,
      trustProxy: false,
    },
    scheduler: { port: 9101, metricsPort: 10101 },
    compose: { port: 9102, metricsPort: 10102 },
    build: { port: 9103, metricsPort: 10103 },
    drain: { port: 9104, metricsPort: 10104 },
    deploy: { port: 9105, metricsPort: 10105 },
    testKernel: { port: 9106, metricsPort: 10106 },
    notifier: { port: 9107, metricsPort: 10107 },
  },
  log: { level: 'info' },
};

describe('parseConfig defaults', () => {
  it.each([
    ['an empty mapping', {}],
    ['nothing (an empty YAML file)', null],
    ['empty sections', { policy: {}, stages: { deploy: {} }, apps: { ingress: {} } }],
  ])('fills in every default from %s', (_name, raw) => {
    expect(maskedConfig(parseConfig(raw, FILE, {}))).toEqual(DEFAULTS);
  });

  it('reads the default secrets from their well-known variables', () => {
    const config = parseConfig({}, FILE, { GITHUB_WEBHOOK_SECRET: 'w', STAGECRAFT_DASHBOARD_TOKEN: 't' });
    expect(config.github.webhookSecret).toBeInstanceOf(Secret);
    expect(config.github.webhookSecret.reveal()).toBe('w');
    expect(config.github.webhookSecret.source).toBe('env GITHUB_WEBHOOK_SECRET');
    expect(config.apps.dashboard.token.reveal()).toBe('t');
  });

  it.each([
    ['executor left out', { command: 'make' }, { executor: 'local', command: 'make', timeout: 1_200_000, env: {}, cwd: null, killGrace: 5000 }],
    ['numbers in env', { env: { RETRIES: 3, DRY: false } }, { executor: 'local', command: null, timeout: 1_200_000, env: { RETRIES: '3', DRY: 'false' }, cwd: null, killGrace: 5000 }],
    ['a timeout in ms', { timeout: 1500 }, { executor: 'local', command: null, timeout: 1500, env: {}, cwd: null, killGrace: 5000 }],
  ])('completes a stage with %s', (_name, deploy, expected) => {
    expect(parseConfig({ stages: { deploy } }, FILE, {}).stages.deploy).toEqual(expected);
  });

  it.each([
    ['deployments default to the name', { name: 'api', paths: ['api/**'] }, { name: 'api', repository: 'example/repo', paths: ['api/**'], configPaths: [], images: [], context: '.', deployments: ['api'] }],
    [
      'given deployments are kept',
      { name: 'web', paths: ['web/**'], configPaths: ['web/tests/**'], images: ['reg/web'], context: 'web', deployments: ['web-a', 'web-b'] },
      { name: 'web', repository: 'example/repo', paths: ['web/**'], configPaths: ['web/tests/**'], images: ['reg/web'], context: 'web', deployments: ['web-a', 'web-b'] },
    ],
  ])('completes a component: %s', (_name, component, expected) => {
    expect(parseConfig({ components: [component] }, FILE, {}).components).toEqual([expected]);
  });

  it.each<[string, unknown, { skipLabel: string; maxAge: number; requireChecks: string[] | 'required' }]>([
    ['the compose rules', { compose: { skipLabel: 'no-staging', maxAge: '3d' } }, { skipLabel: 'no-staging', maxAge: 259_200_000, requireChecks: [] }],
    ['the compose rules with a local compose executor', { compose: { skipLabel: 'wip' }, stages: { compose: { command: 'make compose' } } }, { skipLabel: 'wip', maxAge: 1_209_600_000, requireChecks: [] }],
    ['the old keys of the github executor', { stages: { compose: { executor: 'github', skipLabel: 'no-staging', maxAge: '3d' } } }, { skipLabel: 'no-staging', maxAge: 259_200_000, requireChecks: [] }],
    ['an old key beside a new one that agrees', { compose: { maxAge: '72h' }, stages: { compose: { executor: 'github', maxAge: '3d' } } }, { skipLabel: 'staging-skip', maxAge: 259_200_000, requireChecks: [] }],
    ['required check names', { compose: { requireChecks: ['ci/build', ' lint '] } }, { skipLabel: 'staging-skip', maxAge: 1_209_600_000, requireChecks: ['ci/build', 'lint'] }],
  ])('reads %s', (_name, raw, expected) => {
    expect(parseConfig(raw, FILE, {}).compose).toEqual(expected);
  });
});

describe('parseConfig problems', () => {
  it.each<[string, unknown, NodeJS.ProcessEnv, string[]]>([
    ['a bad duration', { policy: { settle: 'five' } }, {}, [`${FILE}: policy.settle: expected a duration like "5m", got "five"`]],
    [
      'an old compose key that disagrees with the new one',
      { compose: { skipLabel: 'wip' }, stages: { compose: { executor: 'github', skipLabel: 'no-staging' } } },
      {},
      [`${FILE}: stages.compose.skipLabel: is the old place of compose.skipLabel, which says otherwise: keep only compose.skipLabel`],
    ],
    ['a bad duration type', { workers: { lockDuration: true } }, {}, [`${FILE}: workers.lockDuration: expected a duration like "5m", got true`]],
    ['a zero timeout', { stages: { build: { timeout: '0s' } } }, {}, [`${FILE}: stages.build.timeout: must be longer than 0ms, got "0s"`]],
    ['an unknown field', { policy: { setle: '5m' } }, {}, [`${FILE}: policy.setle: unknown field (did you mean "settle"?)`]],
    ['an unknown top-level field', { polcy: {}, extra: 1 }, {}, [`${FILE}: polcy: unknown field (did you mean "policy"?)`, `${FILE}: extra: unknown field`]],
    ['an unknown stage field', { stages: { deploy: { comand: 'x' } } }, {}, [`${FILE}: stages.deploy.comand: unknown field (did you mean "command"?)`]],
    [
      'a literal secret',
      { github: { webhookSecret: 'hunter2' } },
      {},
      [`${FILE}: github.webhookSecret: secrets cannot be written into the config: use { env: NAME } to read it from an environment variable or { file: PATH } to read it from a file`],
    ],
    ['a secret with both sources', { apps: { dashboard: { token: { env: 'A', file: 'b' } } } }, {}, [`${FILE}: apps.dashboard.token: expected { env: NAME } or { file: PATH }, got a mapping with env, file`]],
    ['a bad secret variable name', { github: { privateKey: { env: 'my key' } } }, {}, [`${FILE}: github.privateKey.env: expected an environment variable name like GITHUB_WEBHOOK_SECRET`]],
    [
      'a missing secret file',
      { github: { privateKey: { file: 'keys/app.pem' } } },
      {},
      [`${FILE}: github.privateKey: cannot read secret file /nonexistent-stagecraft-dir/keys/app.pem (no such file): create it, or point this field at the file that holds the secret`],
    ],
    ['a wrong type', { apps: { ingress: { port: 'http' } } }, {}, [`${FILE}: apps.ingress.port: expected a number, got "http"`]],
    ['an out-of-range port', { apps: { scheduler: { port: 70000 } } }, {}, [`${FILE}: apps.scheduler.port: must be at most 65535, got 70000`]],
    ['a fractional count', { workers: { concurrency: 1.5 } }, {}, [`${FILE}: workers.concurrency: expected a whole number, got 1.5`]],
    ['a bad log level', { log: { level: 'loud' } }, {}, [`${FILE}: log.level: expected "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent", got "loud"`]],
    ['a bad repository', { github: { repository: 'just-a-name' } }, {}, [`${FILE}: github.repository: expected "owner/name", like "octo-org/service"`]],
    ['a section of the wrong kind', { workers: 5 }, {}, [`${FILE}: workers: expected a mapping, got 5`]],
    ['a missing component field', { components: [{ name: 'api' }] }, {}, [`${FILE}: components.0.paths: required, but missing`]],
    ['a bad component name', { components: [{ name: 'API', paths: [] }] }, {}, [`${FILE}: components.0.name: expected a name of lowercase letters, digits and "-", like "api"`]],
    [
      'duplicate component names',
      { components: [{ name: 'api', paths: [] }, { name: 'web', paths: [] }, { name: 'api', paths: [] }] },
      {},
      [`${FILE}: components.2.name: duplicate component name "api" (components.0 has it too): names must be unique`],
    ],
    ['settleMax below settle', { policy: { settle: '20m' } }, {}, [`${FILE}: policy.settleMax: must be at least settle (20m), got 15m: raise settleMax or lower settle`]],
    [
      'no automatic environment',
      { environments: { production: { auto: false, approval: true } } },
      {},
      [`${FILE}: environments: no environment has auto: true, so Stagecraft would never run a cycle on its own: set auto: true on one (usually staging)`],
    ],
    ['a bad environment name', { environments: { Staging: { auto: true } } }, {}, [`${FILE}: environments.Staging: invalid key "Staging": expected a name of lowercase letters, digits and "-", like "staging"`]],
    ['an unknown executor', { stages: { deploy: { executor: 'helm' } } }, {}, [`${FILE}: stages.deploy.executor: expected executor "local" or "kubernetes", got "helm"`]],
    ['a list at the top', [1, 2], {}, [`${FILE}: expected a mapping of settings at the top level, got a list`]],
    ['a bad env override', {}, { STAGECRAFT_POLICY__SETTLE: 'five' }, ['STAGECRAFT_POLICY__SETTLE: expected a duration like "5m", got "five"']],
    ['a non-number override', {}, { STAGECRAFT_APPS__TEST_KERNEL__PORT: 'abc' }, ['STAGECRAFT_APPS__TEST_KERNEL__PORT: expected a number, got "abc"']],
    ['a non-boolean override', {}, { STAGECRAFT_ENVIRONMENTS__STAGING__AUTO: 'maybe' }, ['STAGECRAFT_ENVIRONMENTS__STAGING__AUTO: expected true or false, got "maybe"']],
    [
      'a trustProxy that is no address',
      { apps: { dashboard: { trustProxy: 'loopback, proxy.internal' } } },
      {},
      [`${FILE}: apps.dashboard.trustProxy: not an address or subnet: "proxy.internal"; expected false, true, a hop count, or addresses/subnets like "loopback, 10.0.0.0/8"`],
    ],
    ['a bad REDIS_URL', {}, { REDIS_URL: 'localhost:6379' }, ['REDIS_URL: expected a Redis URL like "redis://127.0.0.1:6379"']],
    [
      'a literal secret override',
      {},
      { STAGECRAFT_GITHUB__WEBHOOK_SECRET: 'hunter2' },
      ['STAGECRAFT_GITHUB__WEBHOOK_SECRET: secrets cannot be written into the config: use { env: NAME } to read it from an environment variable or { file: PATH } to read it from a file'],
    ],
    [
      'an unknown override path',
      {},
      { STAGECRAFT_POLICY__SETLE: '1s' },
      ['STAGECRAFT_POLICY__SETLE: no config field policy.setle to override (did you mean STAGECRAFT_POLICY__SETTLE?)'],
    ],
    [
      'an unknown override section',
      {},
      { STAGECRAFT_NOPE: 'x' },
      ['STAGECRAFT_NOPE: no config field nope to override (fields there: redis, github, repositories, policy, trust, compose, environments, components, stages, workers, apps, log)'],
    ],
    ['an override below a value', {}, { STAGECRAFT_LOG__LEVEL__X: 'x' }, ['STAGECRAFT_LOG__LEVEL__X: log.level has no fields to override below it: set STAGECRAFT_LOG__LEVEL instead']],
    ['an empty path segment', {}, { STAGECRAFT_POLICY____SETTLE: '1s' }, ['STAGECRAFT_POLICY____SETTLE: not a config override: separate the parts of the path with "__", like STAGECRAFT_POLICY__SETTLE']],
    [
      'a list item out of range',
      {},
      { STAGECRAFT_COMPONENTS__3__NAME: 'x' },
      ['STAGECRAFT_COMPONENTS__3__NAME: components is a list: name an item by its index (0 to 0), or set the whole list as JSON with STAGECRAFT_COMPONENTS'],
    ],
    ['bad JSON', {}, { STAGECRAFT_TRUST__MAINTAINERS: '[alice' }, [expect.stringMatching(/^STAGECRAFT_TRUST__MAINTAINERS: not valid JSON \(.+\): write lists and mappings as JSON/) as unknown as string]],
    [
      'a problem inside a JSON override',
      {},
      { STAGECRAFT_STAGES__DEPLOY: '{"command":"x","timeout":"soon"}' },
      ['STAGECRAFT_STAGES__DEPLOY: stages.deploy.timeout: expected a duration like "5m", got "soon"'],
    ],
    [
      'a problem the override brought in with a new section',
      {},
      { STAGECRAFT_POLICY__SETTLE: '20m' },
      ['STAGECRAFT_POLICY__SETTLE: policy.settleMax: must be at least settle (20m), got 15m: raise settleMax or lower settle'],
    ],
    [
      'a file problem an override took part in',
      { environments: { staging: { auto: true } } },
      { STAGECRAFT_ENVIRONMENTS__STAGING__AUTO: 'false' },
      [`${FILE}: environments: no environment has auto: true, so Stagecraft would never run a cycle on its own: set auto: true on one (usually staging) (with STAGECRAFT_ENVIRONMENTS__STAGING__AUTO applied)`],
    ],
  ])('reports %s', (_name, raw, env, expected) => {
    expect(problemsOf(() => parseConfig(raw, FILE, env, { baseDir: '/nonexistent-stagecraft-dir' }))).toEqual(expected);
  });

  it('lists every problem at once, one a line, file problems and env problems together', () => {
    const error = (() => {
      try {
        parseConfig({ policy: { settle: 'five', setle: 1 }, log: { level: 'loud' } }, FILE, { STAGECRAFT_WORKERS__CONCURRENCY: 'many', STAGECRAFT_FOO: '1' });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toHaveLength(5);
    expect(error.message.split('\n')).toEqual(error.problems);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        `${FILE}: policy.settle: expected a duration like "5m", got "five"`,
        `${FILE}: policy.setle: unknown field (did you mean "settle"?)`,
        'STAGECRAFT_WORKERS__CONCURRENCY: expected a number, got "many"',
        expect.stringMatching(/^STAGECRAFT_FOO: no config field foo/),
      ]),
    );
  });

  it('never repeats a literal secret in its message', () => {
    const problems = problemsOf(() => parseConfig({ github: { webhookSecret: 'hunter2', privateKey: 'also-secret' } }, FILE, { STAGECRAFT_APPS__DASHBOARD__TOKEN: 'tok3n' }));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toMatch(/hunter2|also-secret|tok3n/);
  });
});

describe('parseConfig env overrides', () => {
  it.each<[string, NodeJS.ProcessEnv, (c: StagecraftConfig) => unknown, unknown]>([
    ['a duration', { STAGECRAFT_POLICY__SETTLE: '300ms' }, (c) => c.policy.settle, 300],
    ['a camelCase key', { STAGECRAFT_POLICY__SETTLE: '300ms', STAGECRAFT_POLICY__SETTLE_MAX: '1s' }, (c) => [c.policy.settle, c.policy.settleMax], [300, 1000]],
    ['a duration in ms', { STAGECRAFT_POLICY__THROTTLE: '2500' }, (c) => c.policy.throttle, 2500],
    ['text', { STAGECRAFT_REDIS__PREFIX: 'x' }, (c) => c.redis.prefix, 'x'],
    ['a number', { STAGECRAFT_APPS__TEST_KERNEL__PORT: '0' }, (c) => c.apps.testKernel.port, 0],
    ['a metrics port', { STAGECRAFT_APPS__TEST_KERNEL__METRICS_PORT: '9999' }, (c) => c.apps.testKernel.metricsPort, 9999],
    ['the ingress request timeout and unverified-bytes cap', { STAGECRAFT_APPS__INGRESS__REQUEST_TIMEOUT: '3s', STAGECRAFT_APPS__INGRESS__MAX_UNVERIFIED_BYTES: '8mb' }, (c) => [c.apps.ingress.requestTimeout, c.apps.ingress.maxUnverifiedBytes], [3000, '8mb']],
    ['a nullable number', { STAGECRAFT_GITHUB__APP_ID: '12345' }, (c) => c.github.appId, 12345],
    ['a command', { STAGECRAFT_STAGES__DEPLOY__COMMAND: './deploy.sh' }, (c) => ('command' in c.stages.deploy ? c.stages.deploy.command : undefined), './deploy.sh'],
    ['a command cleared', { STAGECRAFT_STAGES__DEPLOY__COMMAND: '' }, (c) => ('command' in c.stages.deploy ? c.stages.deploy.command : undefined), null],
    ['a comma list', { STAGECRAFT_TRUST__MAINTAINERS: 'alice, bob,' }, (c) => c.trust.maintainers, ['alice', 'bob']],
    ['a JSON list', { STAGECRAFT_TRUST__TRUSTED: '["carol","org/team"]' }, (c) => c.trust.trusted, ['carol', 'org/team']],
    ['an empty list', { STAGECRAFT_TRUST__MAINTAINERS: '' }, (c) => c.trust.maintainers, []],
    ['a boolean', { STAGECRAFT_ENVIRONMENTS__PRODUCTION__APPROVAL: 'false' }, (c) => c.environments['production']?.approval, false],
    [
      'a new environment, keeping the default ones',
      { STAGECRAFT_ENVIRONMENTS__QA__AUTO: 'true' },
      (c) => c.environments,
      { staging: { auto: true, approval: false, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 }, production: { auto: false, approval: true, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 }, qa: { auto: true, approval: false, from: 'staging', requires: 'full', approvals: 1, noSelfApproval: false, requestTtl: 86_400_000, denyWindows: [], keepReleases: 50 } },
    ],
    ['a stage env variable, keeping its case', { STAGECRAFT_STAGES__BUILD__ENV__NODE_ENV: 'production' }, (c) => ('env' in c.stages.build ? c.stages.build.env : undefined), { NODE_ENV: 'production' }],
    ['a whole section as JSON', { STAGECRAFT_LOG: '{"level":"debug"}' }, (c) => c.log.level, 'debug'],
    ['a log level', { STAGECRAFT_LOG__LEVEL: 'silent' }, (c) => c.log.level, 'silent'],
    ['trustProxy on', { STAGECRAFT_APPS__DASHBOARD__TRUST_PROXY: 'true' }, (c) => c.apps.dashboard.trustProxy, true],
    ['trustProxy as a hop count', { STAGECRAFT_APPS__DASHBOARD__TRUST_PROXY: '1' }, (c) => c.apps.dashboard.trustProxy, 1],
    ['trustProxy as subnets', { STAGECRAFT_APPS__DASHBOARD__TRUST_PROXY: 'loopback,10.0.0.0/8, fd00::/8' }, (c) => c.apps.dashboard.trustProxy, 'loopback, 10.0.0.0/8, fd00::/8'],
    ['dashboard admins', { STAGECRAFT_APPS__DASHBOARD__ADMINS: 'alice,bob' }, (c) => c.apps.dashboard.admins, ['alice', 'bob']],
    ['the auth failure window', { STAGECRAFT_APPS__DASHBOARD__AUTH_FAILURE_WINDOW: '1s' }, (c) => c.apps.dashboard.authFailureWindow, 1000],
    ['REDIS_URL', { REDIS_URL: 'redis://cache:6380' }, (c) => c.redis.url, 'redis://cache:6380'],
    ['STAGECRAFT_REDIS__URL over REDIS_URL', { REDIS_URL: 'redis://a:1', STAGECRAFT_REDIS__URL: 'redis://b:2' }, (c) => c.redis.url, 'redis://b:2'],
    ['a secret source', { STAGECRAFT_GITHUB__WEBHOOK_SECRET__ENV: 'HOOK', HOOK: 'h' }, (c) => c.github.webhookSecret.reveal(), 'h'],
    ['a secret source as JSON', { STAGECRAFT_GITHUB__PRIVATE_KEY: '{"env":"PK"}', PK: 'k' }, (c) => c.github.privateKey?.reveal(), 'k'],
    [
      'variables that are not config',
      { STAGECRAFT_CONFIG: 'x.yaml', STAGECRAFT_DASHBOARD_TOKEN: 't', STAGECRAFT_CYCLE: 'c1', STAGECRAFT_COMPONENTS: 'api,web', STAGECRAFT_RESULTS: '/tmp/r', PATH: '/bin' },
      (c) => c.components,
      [],
    ],
  ])('sets %s', (_name, env, pick, expected) => {
    expect(pick(parseConfig({}, FILE, env))).toEqual(expected);
  });

  it.each<[string, unknown, NodeJS.ProcessEnv, (c: StagecraftConfig) => unknown, unknown]>([
    ['a file value', { policy: { settle: '1m', settleMax: '2m' } }, { STAGECRAFT_POLICY__SETTLE: '30s' }, (c) => [c.policy.settle, c.policy.settleMax], [30_000, 120_000]],
    [
      'a field of a listed item',
      { components: [{ name: 'api', paths: ['a/**'] }] },
      { STAGECRAFT_COMPONENTS__0__IMAGES: 'reg/api,reg/api-worker' },
      (c) => c.components[0]?.images,
      ['reg/api', 'reg/api-worker'],
    ],
    ['an environment the file names', { environments: { 'pre-prod': { auto: true } } }, { STAGECRAFT_ENVIRONMENTS__PRE_PROD__REQUIRES: 'partial' }, (c) => c.environments['pre-prod']?.requires, 'partial'],
  ])('overrides %s', (_name, raw, env, pick, expected) => {
    expect(pick(parseConfig(raw, FILE, env))).toEqual(expected);
  });

  it('does not change the raw data it was given', () => {
    const raw = { policy: { settle: '1m' } };
    parseConfig(raw, FILE, { STAGECRAFT_POLICY__SETTLE: '2m' });
    expect(raw).toEqual({ policy: { settle: '1m' } });
  });
});
