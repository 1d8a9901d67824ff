import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CycleRecord, CycleStore } from '@stagecraft/engine';
import type { StageResult, StagecraftKeys } from '@stagecraft/queue';
import type { FakeGitHub, FakeRepository } from '@stagecraft/testing';
import type { Redis } from 'ioredis';
import { PR_COMMENT_MARKER } from './pr-comment-state.js';
import { postNotification } from './post-notification.js';
import type { RepositoryClients } from '../app/repository-clients.js';
import { cycleHeader, stageResult, startNotifierFixture, type NotifierFixture } from '../test-support/notifier-fixture.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';

const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);
const APP_STAGING = 'b'.repeat(40);
const API_STAGING = 'e'.repeat(40);

describe('CyclePublisher with several repositories: each PR is told in its own repository', () => {
  let f: NotifierFixture;
  let github: FakeGitHub;
  let app: FakeRepository;
  let api: FakeRepository;
  let redis: Redis;
  let keys: StagecraftKeys;
  let cycles: CycleStore;
  let clients: RepositoryClients;
  const now = T0;

  beforeEach(async () => {
    f = await startNotifierFixture({
      repos: [
        { owner: 'acme', repo: 'app', installationId: 77 },
        { owner: 'kernelci', repo: 'api', installationId: 91 },
      ],
    });
    ({ github, redis, keys, cycles } = f);
    app = github.repository('acme/app');
    api = github.repository('kernelci/api');
    clients = testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]);
  });
  afterEach(() => f.close());

  const publisherFor = (github: RepositoryClients) => f.publisher({ github, cycleUrl: () => null, productionEnvironments: ['production'], clock: () => now });
  const stage = (name: StageResult['stage'], details: StageResult['details'] = null) => stageResult(name, 'succeeded', now, `${name} ok`, details);
  const createCycle = (id: string, prs: CycleRecord['prs'], repos: CycleRecord['repos']) => cycles.create(cycleHeader(id, now, { components: ['app', 'api'], repos, prs }));

  const commentsOn = (repository: FakeRepository, issue: number) => repository.comments.filter((c) => c.issue === issue);

  it('check runs, the one comment, deployments and conflict notices go to the PR of that number in its own repository', async () => {
    const publisher = publisherFor(clients);
    await createCycle(
      'staging-1',
      [
        { repo: 'acme/app', number: 7, sha: 'a7' },
        { repo: 'kernelci/api', number: 7, sha: 'k7' },
        { repo: 'kernelci/api', number: 9, sha: 'k9' },
      ],
      [
        { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: null },
        { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: null },
      ],
    );
    // The cycle's notification came with acme/app's installation: kernelci/api is still written through its own.
    await publisher.publish('staging-1', 77);
    await cycles.recordStage(
      'staging-1',
      stage('compose', {
        results: {
          sha: APP_STAGING,
          repos: [
            { repo: 'acme/app', sha: APP_STAGING, mainSha: 'a'.repeat(40) },
            { repo: 'kernelci/api', sha: API_STAGING, mainSha: 'd'.repeat(40) },
          ],
          prs: [
            { repo: 'acme/app', number: 7, sha: 'a7' },
            { repo: 'kernelci/api', number: 7, sha: 'k7' },
          ],
          conflicts: [{ repo: 'kernelci/api', number: 9, sha: 'k9', with: 7 }],
          left: [{ repo: 'acme/app', number: 3, sha: 'a3', reason: 'labelled staging-skip' }],
        },
      }),
    );
    await cycles.update('staging-1', {
      stagingSha: APP_STAGING,
      repos: [
        { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: APP_STAGING },
        { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: API_STAGING },
      ],
      prs: [
        { repo: 'acme/app', number: 7, sha: 'a7' },
        { repo: 'kernelci/api', number: 7, sha: 'k7' },
      ],
    });
    for (const s of ['build', 'drain', 'deploy'] as const) await cycles.recordStage('staging-1', stage(s));
    await cycles.finish('staging-1', 'succeeded', now + 300_000);
    await publisher.publish('staging-1', 77);
    await publisher.publish('staging-1', 77); // a retried job writes nothing new

    // Check runs: each head in its own repository; the conflicting one neutral, naming the PR it conflicts with.
    expect(app.checkRuns.map((r) => [r.head_sha, r.history.at(-1)])).toEqual([['a7', 'completed:success']]);
    expect(api.checkRuns.map((r) => [r.head_sha, r.history.at(-1)])).toEqual([
      ['k7', 'completed:success'],
      ['k9', 'completed:neutral'],
    ]);
    expect((api.checkRuns[1]!.output as { summary: string }).summary).toBe(
      'kernelci/api#9 was left out of partial cycle staging-1: it conflicts with kernelci/api#7, merged before it.',
    );

    // The one Stagecraft comment per PR, in its repository, naming PRs with their repository.
    expect(commentsOn(app, 7)).toHaveLength(1);
    expect(commentsOn(app, 7)[0]!.body).toContain('Head `a7` of acme/app#7 is on staging.');
    expect(commentsOn(app, 7)[0]!.body).toContain('acme/app: staging `bbbbbbb`, main `aaaaaaa` · kernelci/api: staging `eeeeeee`, main `ddddddd` · 2 PR(s): acme/app#7, kernelci/api#7');
    expect(commentsOn(api, 7)).toHaveLength(1);
    expect(commentsOn(api, 7)[0]!.body).toContain('Head `k7` of kernelci/api#7 is on staging.');
    expect(commentsOn(app, 9)).toHaveLength(0);
    expect(commentsOn(api, 9).map((c) => c.body.split('\n')[0])).toEqual([PR_COMMENT_MARKER, '<!-- stagecraft:conflict:k9 -->']);
    expect(commentsOn(api, 9)[1]!.body).toContain('conflicts with kernelci/api#7, so it was left out of staging');
    expect(await redis.exists(keys.prComment('acme/app', 7), keys.prComment('kernelci/api', 7), keys.prComment('kernelci/api', 9), keys.conflictsTold('kernelci/api', 9))).toBe(4);

    // Deployments: each head in its repository, saying which staging commit of that repository runs.
    expect(app.deployments.map((d) => [d.ref, d.statuses.map((s) => s.state)])).toEqual([['a7', ['success']]]);
    expect(api.deployments.map((d) => [d.ref, d.statuses.map((s) => s.state)])).toEqual([['k7', ['success']]]);
    expect(api.deployments[0]!.statuses[0]!.description).toBe('Stagecraft partial cycle staging-1 (kernelci/api staging eeeeeee)');

    // Written through each repository's own installation.
    expect(api.calls.filter((c) => c.method !== 'GET').length).toBeGreaterThan(0);
    expect(github.calls.some((c) => c.path === '/repos/kernelci/api/installation')).toBe(true);
  });

  it('replies and reactions go to the repository the command came from', async () => {
    await postNotification(clients, { type: 'reply', key: 'reply.1', repo: 'kernelci/api', installationId: 91, issue: 7, body: 'Started a partial cycle now.' });
    await postNotification(clients, { type: 'reaction', key: 'react.1', repo: 'acme/app', installationId: 77, commentId: 1234, content: 'eyes' });
    expect(api.comments).toEqual([expect.objectContaining({ issue: 7, body: 'Started a partial cycle now.' })]);
    expect(app.comments).toEqual([]);
    expect(app.reactions).toEqual([{ commentId: 1234, content: 'eyes' }]);
    expect(api.reactions).toEqual([]);
    // The webhooks' installations were enough: nothing was looked up.
    expect(github.calls.filter((c) => c.path.endsWith('/installation'))).toEqual([]);
  });

  it('a repository it cannot write to does not hold up the others; the job fails so it is retried', async () => {
    const publisher = publisherFor(testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api'), repositoryConfig('acme/gone')]));
    await createCycle(
      'staging-2',
      [
        { repo: 'acme/gone', number: 1, sha: 'g1' },
        { repo: 'kernelci/api', number: 4, sha: 'k4' },
      ],
      [
        { repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: null },
        { repo: 'kernelci/api', mainSha: 'd'.repeat(40), stagingSha: null },
        { repo: 'acme/gone', mainSha: 'f'.repeat(40), stagingSha: null },
      ],
    );
    await expect(publisher.publish('staging-2', null)).rejects.toThrow(/could not publish cycle staging-2 to 1 PR\(s\): acme\/gone#1: the GitHub App is not installed on acme\/gone/);
    expect(api.checkRuns.map((r) => [r.head_sha, r.status])).toEqual([['k4', 'queued']]);
    expect(commentsOn(api, 4)).toHaveLength(1);
  });
});
