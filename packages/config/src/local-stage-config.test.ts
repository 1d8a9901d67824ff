import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatConfig } from './format-config.js';
import { parseConfig } from './parse-config.js';
import { Secret } from './secret.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-local-config-'));
  writeFileSync(join(dir, 'registry-token'), 'from-a-file\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deployOf = (deploy: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
  const stage = parseConfig({ stages: { deploy: { command: './deploy.sh', ...deploy } } }, FILE, env, { baseDir: dir }).stages.deploy;
  if (stage.executor !== 'local') throw new Error('expected a local deploy stage');
  return stage;
};

describe('local stage env', () => {
  it('takes text, numbers and true/false as text, and reads secrets from env or a file', () => {
    const { env } = deployOf(
      { env: { REGION: 'eu', RETRIES: 3, DRY_RUN: false, DEPLOY_KEY: { env: 'DEPLOY_KEY' }, REGISTRY_TOKEN: { file: 'registry-token' } } },
      { DEPLOY_KEY: 'from-env' },
    );
    expect(env).toMatchObject({ REGION: 'eu', RETRIES: '3', DRY_RUN: 'false' });
    expect(env['DEPLOY_KEY']).toBeInstanceOf(Secret);
    expect((env['DEPLOY_KEY'] as Secret).reveal()).toBe('from-env');
    expect((env['REGISTRY_TOKEN'] as Secret).reveal()).toBe('from-a-file');
  });

  it('gives an unset secret when its variable is not set', () => {
    const { env } = deployOf({ env: { DEPLOY_KEY: { env: 'DEPLOY_KEY' } } });
    expect((env['DEPLOY_KEY'] as Secret).isSet).toBe(false);
  });

  it('prints secrets masked and text as it is', () => {
    const config = parseConfig(
      { stages: { deploy: { command: './deploy.sh', env: { REGION: 'eu', DEPLOY_KEY: { env: 'DEPLOY_KEY' } } } } },
      FILE,
      { DEPLOY_KEY: 's3cret-key' },
    );
    const text = formatConfig(config);
    expect(text).not.toContain('s3cret-key');
    expect(text).toMatch(/DEPLOY_KEY: "\*\*\*"/);
    expect(text).toContain('REGION: eu');
  });

  it.each([
    ['a list', { X: [1] }, 'expected text, a number, true/false, or a secret as { env: NAME } or { file: PATH }'],
    ['a mapping that is no secret', { X: { value: 'a' } }, 'expected { env: NAME } or { file: PATH }, got a mapping with value'],
  ])('says what is wrong with %s', (_case, env, message) => {
    expect(problemsOf(() => deployOf({ env }))).toEqual([`${FILE}: stages.deploy.env.X: ${message}`]);
  });

  it('says which secret file it cannot read', () => {
    expect(problemsOf(() => deployOf({ env: { X: { file: 'missing' } } }))).toEqual([
      `${FILE}: stages.deploy.env.X: cannot read secret file ${join(dir, 'missing')} (no such file): create it, or point this field at the file that holds the secret`,
    ]);
  });
});

describe('local stage killGrace', () => {
  it.each<[string, Record<string, unknown>, number, NodeJS.ProcessEnv]>([
    ['5s by default', {}, 5000, {}],
    ['as configured', { killGrace: '200ms' }, 200, {}],
    ['from env', {}, 3000, { STAGECRAFT_STAGES__DEPLOY__KILL_GRACE: '3s' }],
  ])('is %s', (_case, deploy, ms, env) => {
    expect(deployOf(deploy, env).killGrace).toBe(ms);
  });

  it('refuses what is no duration', () => {
    expect(problemsOf(() => deployOf({ killGrace: 'soon' }))).toEqual([`${FILE}: stages.deploy.killGrace: expected a duration like "5m", got "soon"`]);
  });
});

describe('local stage killGrace against workers.lockDuration', () => {
  it('refuses a grace that outlasts half the lock, so a re-run on another worker cannot overlap a dying command', () => {
    expect(problemsOf(() => parseConfig({ stages: { build: { command: 'make', killGrace: '1s' } }, workers: { lockDuration: '2s' } }, FILE, {}))).toEqual([
      `${FILE}: stages.build.killGrace: 1s is not shorter than half of workers.lockDuration (2s): after a worker dies another may start the job again while this command still has its grace; shorten killGrace or lengthen workers.lockDuration`,
    ]);
  });

  it('takes a grace shorter than half the lock', () => {
    expect(parseConfig({ stages: { build: { command: 'make', killGrace: '900ms' } }, workers: { lockDuration: '2s' } }, FILE, {}).stages.build).toMatchObject({ killGrace: 900 });
  });
});
