import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CycleStore } from '@stagecraft/engine';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { FakeGitHub } from '@stagecraft/testing';
import type { Redis } from 'ioredis';
import type { CyclePublisher } from './cycle-publisher.js';
import { PR_COMMENT_MARKER } from './pr-comment-state.js';
import { cycleHeader, stageResult as stage, startNotifierFixture, type NotifierFixture } from '../test-support/notifier-fixture.js';

const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);

describe('CyclePublisher: what GitHub shows about a cycle', () => {
  let f: NotifierFixture;
  let github: FakeGitHub;
  let redis: Redis;
  let keys: StagecraftKeys;
  let cycles: CycleStore;
  let publisher: CyclePublisher;
  let now = T0;

  beforeEach(async () => {
    f = await startNotifierFixture();
    ({ github, redis, keys, cycles } = f);
    publisher = f.publisher({ productionEnvironments: ['production'], clock: () => now });
  });
  afterEach(() => f.close());

  const createCycle = (id: string, kind: 'full' | 'partial', prs: Array<{ number: number; sha: string }>) =>
    cycles.create(cycleHeader(id, now, { kind, prs: prs.map((p) => ({ repo: 'acme/app', ...p })) }));

  const runsOf = (sha: string) => github.checkRuns.filter((r) => r.head_sha === sha);
  const commentsOn = (issue: number) => github.comments.filter((c) => c.issue === issue);

  it('follows a PR through two cycles: one check run per cycle queued → in_progress → completed, one comment edited in place, a deployment per cycle', async () => {
    const pr = { number: 7, sha: 'h7' };
    await createCycle('staging-1', 'partial', [pr]);
    await publisher.publish('staging-1', null);
    await cycles.markRunning('staging-1', { stage: 'compose', startedAt: now, attempt: 1 });
    await publisher.publish('staging-1', null);
    await cycles.recordStage('staging-1', stage('compose', 'succeeded', now, 'staging = main + 1 PR'));
    await cycles.markRunning('staging-1', { stage: 'deploy', startedAt: now + 60_000, attempt: 1 });
    await publisher.publish('staging-1', null);
    await publisher.publish('staging-1', null); // a retried job writes nothing new
    for (const s of ['build', 'drain', 'deploy'] as const) await cycles.recordStage('staging-1', stage(s, 'succeeded', now, `${s} ok`));
    await cycles.finish('staging-1', 'succeeded', now + 300_000);
    await publisher.publish('staging-1', null);

    expect(runsOf('h7')).toHaveLength(1);
    expect(runsOf('h7')[0]).toMatchObject({ name: 'stagecraft/staging', external_id: 'staging-1', history: ['queued', 'in_progress', 'completed:success'] });
    expect((runsOf('h7')[0]!.output as { summary: string }).summary).toContain('Tested **partially**');
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toMatch(new RegExp(`^${PR_COMMENT_MARKER}\\n\\*\\*staging\\*\\* · \\*\\*✅ partial cycle staging-1 deployed to staging\\*\\*`));
    expect(github.deployments).toEqual([expect.objectContaining({ ref: 'h7', environment: 'staging', statuses: [expect.objectContaining({ state: 'in_progress' }), expect.objectContaining({ state: 'success' })] })]);

    // The second cycle is full and fails at test-kernel: a new check run, the same comment.
    now += 3_600_000;
    await createCycle('staging-2', 'full', [pr]);
    await publisher.publish('staging-2', null);
    for (const s of ['compose', 'build', 'drain', 'deploy'] as const) await cycles.recordStage('staging-2', stage(s, 'succeeded', now, `${s} ok`));
    await cycles.recordStage(
      'staging-2',
      stage('test-kernel', 'failed', now, '1 of 2 test runs failed', { tests: [{ name: 'reference', status: 'failed', passed: 10, failed: 2, skipped: 1, url: 'https://ci.example.com/r/1' }] }),
    );
    await cycles.finish('staging-2', 'failed', now + 600_000);
    await publisher.publish('staging-2', null);

    expect(runsOf('h7').map((r) => [r.external_id, r.history])).toEqual([
      ['staging-1', ['queued', 'in_progress', 'completed:success']],
      ['staging-2', ['queued', 'completed:failure']],
    ]);
    expect(commentsOn(7)).toHaveLength(1);
    const body = commentsOn(7)[0]!.body;
    expect(body).toContain('❌ full cycle staging-2 failed at test-kernel');
    expect(body).toContain('Tests: 10 passed, 2 failed, 1 skipped');
    expect(body).toContain('[Cycle details and logs](https://stagecraft.example.com/cycles/staging-2)');
    expect(github.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/issues/7/comments'))).toHaveLength(1);
  });

  it('a promotion cycle: a production deployment per PR of the release, no check run and no change to the PR comment', async () => {
    await cycles.create(
      cycleHeader('production-1', now, {
        env: 'production',
        kind: 'full',
        trigger: 'deploy-command',
        reason: 'promotion of staging-4',
        requestedBy: 'boss',
        rebuild: [],
        stagingSha: 'b'.repeat(40),
        repos: [{ repo: 'acme/app', mainSha: 'a'.repeat(40), stagingSha: 'b'.repeat(40) }],
        prs: [{ repo: 'acme/app', number: 7, sha: 'h7' }],
        release: { id: 'staging-4', requestId: 'production-p1', images: { api: ['reg/api:b'] } },
      }),
    );
    await cycles.markRunning('production-1', { stage: 'deploy', startedAt: now, attempt: 1 });
    await publisher.publish('production-1', null);
    await cycles.recordStage('production-1', stage('deploy', 'succeeded', now, 'deployed'));
    await cycles.finish('production-1', 'succeeded', now + 60_000);
    await publisher.publish('production-1', null);

    expect(github.deployments).toEqual([
      expect.objectContaining({ ref: 'h7', environment: 'production', production_environment: true, statuses: [expect.objectContaining({ state: 'in_progress' }), expect.objectContaining({ state: 'success' })] }),
    ]);
    expect(github.deployments[0]!.statuses[1]!.description).toContain('release staging-4 (production-p1)');
    expect(runsOf('h7')).toHaveLength(0);
    expect(commentsOn(7)).toHaveLength(0);
  });

  it('tells a conflicting head once, marks its check run neutral, and tells it again after a push that still conflicts', async () => {
    await createCycle('staging-1', 'partial', [{ number: 1, sha: 'h1' }, { number: 3, sha: 'h3' }]);
    await publisher.publish('staging-1', null);
    await cycles.recordStage('staging-1', stage('compose', 'succeeded', now, 'staging = main + 1 PR', { results: { prs: [{ number: 1, sha: 'h1' }], conflicts: [{ number: 3, sha: 'h3', with: 1 }], left: [] } }));
    await cycles.update('staging-1', { prs: [{ repo: 'acme/app', number: 1, sha: 'h1' }] });
    await publisher.publish('staging-1', null);
    await publisher.publish('staging-1', null);

    expect(runsOf('h3')[0]).toMatchObject({ history: ['queued', 'completed:neutral'] });
    const told = commentsOn(3).filter((c) => c.body.includes('conflicts with #1'));
    expect(told).toHaveLength(2); // the conflict notice, and the PR's own comment saying it was left out
    expect(told.filter((c) => c.body.startsWith('<!-- stagecraft:conflict:h3 -->'))).toHaveLength(1);

    // A crash after posting but before remembering it: the marker finds the comment again.
    await redis.del(keys.conflictsTold('acme/app', 3));
    await publisher.publish('staging-1', null);
    expect(commentsOn(3).filter((c) => c.body.startsWith('<!-- stagecraft:conflict:'))).toHaveLength(1);

    // A push that still conflicts is a new head: told once more.
    await createCycle('staging-2', 'partial', [{ number: 1, sha: 'h1' }, { number: 3, sha: 'h3b' }]);
    await cycles.recordStage('staging-2', stage('compose', 'succeeded', now, 'staging = main + 1 PR', { results: { prs: [{ number: 1, sha: 'h1' }], conflicts: [{ number: 3, sha: 'h3b', with: 'main' }], left: [] } }));
    await publisher.publish('staging-2', null);
    await publisher.publish('staging-2', null);
    expect(commentsOn(3).filter((c) => c.body.startsWith('<!-- stagecraft:conflict:')).map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- stagecraft:conflict:h3 -->',
      '<!-- stagecraft:conflict:h3b -->',
    ]);
  });

  it('waits out a 403 secondary rate limit and still posts the comment once', async () => {
    await createCycle('staging-1', 'partial', [{ number: 9, sha: 'h9' }]);
    github.rateLimitNextWrites(2);
    await publisher.publish('staging-1', null);
    expect(commentsOn(9)).toHaveLength(1);
    expect(runsOf('h9')).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/check-runs'))).toHaveLength(3); // 2 refused + 1
  });

  it('finds its check run and comment again when Redis forgot their ids (no duplicates)', async () => {
    await createCycle('staging-1', 'partial', [{ number: 4, sha: 'h4' }]);
    await publisher.publish('staging-1', null);
    await redis.del(keys.published('staging-1'), keys.prComment('acme/app', 4));
    await cycles.markRunning('staging-1', { stage: 'compose', startedAt: now, attempt: 1 });
    await publisher.publish('staging-1', null);
    expect(runsOf('h4')).toHaveLength(1);
    expect(runsOf('h4')[0]!.history).toEqual(['queued', 'in_progress']);
    expect(commentsOn(4)).toHaveLength(1);
  });
});
