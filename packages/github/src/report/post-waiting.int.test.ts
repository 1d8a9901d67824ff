import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HeadsStore } from '@stagecraft/engine';
import { waitingNotification } from '@stagecraft/queue';
import type { RepositoryClients } from '../app/repository-clients.js';
import { cycleHeader, stageResult, startNotifierFixture, type NotifierFixture } from '../test-support/notifier-fixture.js';
import { testClients } from '../test-support/repository-config.js';
import { PR_COMMENT_MARKER } from './pr-comment-state.js';
import { postWaiting } from './post-waiting.js';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const H1 = '1'.repeat(40);
const H2 = '2'.repeat(40);

describe('a PR its required checks hold back: its comment and a check run on its head say what it waits for', () => {
  let f: NotifierFixture;
  let heads: HeadsStore;
  let clients: RepositoryClients;
  let received = T0;

  beforeEach(async () => {
    f = await startNotifierFixture();
    heads = new HeadsStore(f.redis, f.keys);
    clients = testClients(f.github);
    await pushHead(H1);
  });
  afterEach(() => f.close());

  /** The PR's head moves to `sha`, as the scheduler records a PR update. */
  const pushHead = (sha: string) =>
    heads.apply([
      {
        kind: 'pr-upsert',
        head: { repo: 'acme/app', number: 7, sha, author: 'alice', baseRef: 'main', draft: false, labels: [], updatedAt: null },
        order: { receivedAt: ++received },
      },
    ]);
  const notice = (reason: string, at: number, sha = H1) =>
    waitingNotification({ repo: 'acme/app', number: 7, sha }, { reason, checks: reason.startsWith('checks failed') ? 'failed' : 'pending' }, at, null);
  const post = (job: ReturnType<typeof notice>) => postWaiting(job, { redis: f.redis, keys: f.keys, github: clients, heads, checkName: 'stagecraft/staging' });
  const runsOf = (sha: string) => f.github.checkRuns.filter((r) => r.head_sha === sha);
  const commentsOn = (issue: number) => f.github.comments.filter((c) => c.issue === issue);
  const writes = () => f.github.calls.filter((c) => c.method === 'POST' || c.method === 'PATCH').length;
  const outputOf = (run: { output: unknown } | undefined) => run?.output as { title: string; summary: string } | undefined;

  it('tells what it waits for in the one comment and one run, edits both as that changes, and posts nothing twice', async () => {
    const first = notice('waiting for checks: ci/build, lint', T0);
    expect(await post(first)).toBe('posted');
    const written = writes();
    expect(await post(first)).toBe('posted'); // a replayed job
    expect(writes()).toBe(written);

    expect(commentsOn(7).map((c) => c.body)).toEqual([
      `${PR_COMMENT_MARKER}\n⏳ #7 (head \`1111111\`) is not in staging yet: waiting for checks: ci/build, lint. It joins as soon as they pass; this comment is updated then.`,
    ]);
    expect(runsOf(H1)).toEqual([expect.objectContaining({ name: 'stagecraft/staging', status: 'queued', conclusion: null })]);
    expect(outputOf(runsOf(H1)[0])).toEqual({ title: 'Waiting for checks: ci/build, lint', summary: '#7 (head `1111111`) joins staging once its required checks pass: waiting for checks: ci/build, lint.' });

    await post(notice('waiting for checks: ci/build', T0 + 1000));
    await post(notice('checks failed: ci/build', T0 + 2000));
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toContain('⛔ #7 (head `1111111`) is left out of staging: checks failed: ci/build. It joins once they pass, after a re-run or a new push');
    expect(runsOf(H1)).toHaveLength(1);
    expect(runsOf(H1)[0]).toMatchObject({ history: ['queued', 'completed:neutral'] });
    expect(outputOf(runsOf(H1)[0])?.title).toBe('Checks failed: ci/build');
    expect(f.github.calls.filter((c) => c.method === 'POST' && (c.path.endsWith('/issues/7/comments') || c.path.endsWith('/check-runs')))).toHaveLength(2);

    // Someone re-runs the failed check: GitHub does not reopen a completed run, so a new one says it waits again.
    await post(notice('waiting for checks: ci/build', T0 + 3000));
    expect(runsOf(H1).map((r) => r.history)).toEqual([['queued', 'completed:neutral'], ['queued']]);
    expect(outputOf(runsOf(H1)[1])?.title).toBe('Waiting for checks: ci/build');
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toContain('is not in staging yet: waiting for checks: ci/build.');
  });

  it('passes over a notice older than the one shown, or about a head the PR no longer has', async () => {
    await post(notice('checks failed: ci/build', T0 + 2000));
    const written = writes();
    // Handled out of order: the pending notice was found before the failure.
    expect(await post(notice('waiting for checks: ci/build', T0 + 1000))).toBe('older');
    await pushHead(H2);
    expect(await post(notice('checks failed: ci/build, lint', T0 + 3000))).toBe('moved');
    expect(writes()).toBe(written);
    expect(commentsOn(7)[0]!.body).toContain('checks failed: ci/build.');

    // The new head's own notice edits the same comment and puts a run on the new head.
    expect(await post(notice('waiting for checks: ci/build', T0 + 4000, H2))).toBe('posted');
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toContain('⏳ #7 (head `2222222`) is not in staging yet');
    expect(runsOf(H2)).toEqual([expect.objectContaining({ status: 'queued' })]);
  });

  it('once its checks pass, the cycle that takes the PR in takes the comment and the run over; a notice from before that cycle changes nothing', async () => {
    const publisher = f.publisher({ github: clients });
    await post(notice('waiting for checks: ci/build', T0));
    await f.cycles.create(cycleHeader('staging-2', T0 + 60_000, { prs: [{ repo: 'acme/app', number: 7, sha: H1 }] }));
    await publisher.publish('staging-2', null);

    // One run on the head, now the cycle's (the waiting run edited, not a second one).
    expect(runsOf(H1)).toHaveLength(1);
    expect(runsOf(H1)[0]).toMatchObject({ external_id: 'staging-2', history: ['queued'] });
    expect(outputOf(runsOf(H1)[0])?.title).not.toContain('aiting for checks');
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toContain('partial cycle staging-2 with head `1111111` is running');

    // Found before the cycle started, handled after it: older news.
    expect(await post(notice('checks failed: ci/build', T0 + 30_000))).toBe('older');
    expect(commentsOn(7)[0]!.body).toContain('staging-2');

    for (const s of ['compose', 'build', 'drain', 'deploy'] as const) await f.cycles.recordStage('staging-2', stageResult(s, 'succeeded', T0 + 60_000, `${s} ok`));
    await f.cycles.finish('staging-2', 'succeeded', T0 + 300_000);
    await publisher.publish('staging-2', null);
    expect(runsOf(H1).map((r) => [r.external_id, r.history.at(-1)])).toEqual([['staging-2', 'completed:success']]);
    expect(commentsOn(7)[0]!.body).toContain('✅ partial cycle staging-2 deployed to staging');
  });

  it('a notice found after a cycle started stands: its comment is not overwritten by that cycle, nor its run covered by an older left-out run', async () => {
    const publisher = f.publisher({ github: clients });
    await f.cycles.create(cycleHeader('staging-3', T0, { waiting: [{ repo: 'acme/app', number: 7, sha: H1, reason: 'waiting for checks: ci/build' }] }));
    await post(notice('checks failed: ci/build', T0 + 10_000));
    await publisher.publish('staging-3', null);

    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toContain('checks failed: ci/build');
    expect(runsOf(H1)).toHaveLength(1);
    expect(outputOf(runsOf(H1)[0])?.title).toBe('Checks failed: ci/build');
  });
});
