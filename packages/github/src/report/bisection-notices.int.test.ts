import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CycleStore } from '@stagecraft/engine';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { FakeGitHub } from '@stagecraft/testing';
import type { Redis } from 'ioredis';
import { EXCLUDED_LABEL, postExclusion } from './post-exclusion.js';
import { ExcludedLabelMarks } from './excluded-label-marks.js';
import { postMainBroken } from './post-main-broken.js';
import type { RepositoryClients } from '../app/repository-clients.js';
import { cycleHeader, startNotifierFixture, type NotifierFixture } from '../test-support/notifier-fixture.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';

const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);

describe("a bisection's verdict on GitHub, in the repository it concerns", () => {
  let f: NotifierFixture;
  let github: FakeGitHub;
  let redis: Redis;
  let keys: StagecraftKeys;
  let cycles: CycleStore;
  let clients: RepositoryClients;

  beforeEach(async () => {
    f = await startNotifierFixture({ repos: [{ owner: 'acme', repo: 'app', installationId: 77 }, { owner: 'kernelci', repo: 'api', installationId: 91 }] });
    ({ github, redis, keys, cycles } = f);
    clients = testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]);
    await cycles.create(
      cycleHeader('staging-3', T0, {
        components: ['app', 'api'],
        stagingSha: 'b'.repeat(40),
        repos: [
          { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) },
          { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: 'e'.repeat(40) },
        ],
        prs: [{ repo: 'kernelci/api', number: 4, sha: 'k4' }],
      }),
    );
    await cycles.recordStage('staging-3', { stage: 'deploy', status: 'failed', startedAt: T0, finishedAt: T0 + 1000, summary: 'rollout of api timed out', attempt: 2, details: null, outputTail: ['waiting for api', 'api: CrashLoopBackOff'] });
    await cycles.finish('staging-3', 'failed', T0 + 2000);
  });
  afterEach(() => f.close());

  it('the excluded PR is told once, in its own repository, with the failing stage, its output and how to come back, and labelled', async () => {
    const api = github.repository('kernelci/api');
    api.addPull({ number: 4, head: 'k4', author: 'alice' });
    github.addPull({ number: 4, head: 'a4', author: 'alice' });
    const job = { type: 'exclusion' as const, key: 'exclusion.staging-3', repo: 'kernelci/api', installationId: null, pr: 4, sha: 'k4', originCycleId: 'staging-3', stage: 'deploy', steps: 2 };
    const marks = new ExcludedLabelMarks(redis, keys);
    await postExclusion(clients, cycles, job, { botName: 'stagecraft', marks, excludedAt: T0 + 3000 });
    await postExclusion(clients, cycles, job, { botName: 'stagecraft', marks, excludedAt: T0 + 3000 }); // a retried job
    expect(github.comments).toEqual([]);
    expect(api.comments).toHaveLength(1);
    const body = api.comments[0]!.body;
    expect(body.split('\n')[0]).toBe('<!-- stagecraft:exclusion:k4 -->');
    expect(body).toContain('kernelci/api#4 (head `k4`) is left out of staging: with it the **deploy** stage fails');
    expect(body).toContain('The deploy stage said: rollout of api timed out');
    expect(body).toContain('api: CrashLoopBackOff');
    expect(body).toContain('a maintainer comments `@stagecraft deploy` to take this head in as it is.');
    expect(api.pull(4)?.labels).toEqual([EXCLUDED_LABEL]);
    // Marked in its own repository, so the label comes off when a later cycle takes kernelci/api#4 in.
    expect(await marks.get('kernelci/api', 4)).toEqual({ sha: 'k4', origin: 'staging-3', stage: 'deploy', at: T0 + 3000 });
    expect(await marks.get('acme/app', 4)).toBeNull();
    expect(github.pull(4)?.labels ?? []).toEqual([]);
  });

  it('main alone failing: a failed check run on the main head of each repository, the same run again on a retry', async () => {
    const job = { type: 'main-broken' as const, key: 'main-broken.staging-3', originCycleId: 'staging-3', stage: 'deploy', steps: 1 };
    expect(await postMainBroken(clients, cycles, job, { checkName: 'stagecraft/staging', clock: () => T0 })).toBe(2);
    await postMainBroken(clients, cycles, job, { checkName: 'stagecraft/staging', clock: () => T0 });
    const runs = (repo: string) => github.repository(repo).checkRuns.map((r) => [r.head_sha, r.external_id, r.history]);
    expect(runs('acme/app')).toEqual([['a'.repeat(40), 'staging-3:main', ['completed:failure']]]);
    expect(runs('kernelci/api')).toEqual([['d'.repeat(40), 'staging-3:main', ['completed:failure']]]);
    expect((github.repository('kernelci/api').checkRuns[0]!.output as { summary: string }).summary).toContain('the main branches alone fail it too');
    expect(await postMainBroken(clients, cycles, { ...job, originCycleId: 'staging-gone' }, { checkName: 'stagecraft/staging', clock: () => T0 })).toBe(0);
  });
});
