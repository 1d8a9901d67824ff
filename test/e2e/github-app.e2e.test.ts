import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, waitUntil, type Stack } from '../support/stack.js';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';

const REPO = 'acme/app';
const MARKER = '<!-- stagecraft:pr-comment -->';
const DAY = 86_400_000;

/** Webhooks about acme/app, delivered for the App's installation. */
const ours = { repository: REPO, installationId: 77 };

const pushToMain = (after: string, before: string, files: string[]) => ({ ...ours, branch: 'main', sha: after, before, paths: files });

const pullRequest = (number: number, sha: string, author: string) => ({ ...ours, action: 'synchronize', number, sha, author, base: 'main' });

const comment = (body: string, author: string, pr: number) => ({ ...ours, action: 'created', body, author, number: pr });

/** An edit of `author`'s comment by `editor`: GitHub sends the editor as sender and keeps the author on the comment. */
const editedComment = (body: string, author: string, editor: string, pr: number) => ({ ...comment(body, author, pr), action: 'edited', sender: editor, previousBody: 'looks good' });

describe('Stagecraft as a GitHub App: every app a process, GitHub a local server', () => {
  let github: FakeGitHub;
  let stack: Stack;
  const record = () => (existsSync(join(stack.stateDir, 'record.log')) ? readFileSync(join(stack.stateDir, 'record.log'), 'utf8').split('\n').filter(Boolean) : []);
  const settled = async (what: string, count: number) =>
    stack.waitForCycles(what, (c) => c.length >= count && c.every((x) => x.state !== 'running'), 40_000);
  const prComments = (pr: number) => github.comments.filter((c) => c.issue === pr);

  beforeAll(async () => {
    github = await startFakeGitHub({ owner: 'acme', repo: 'app' });
    // The repository is empty while Stagecraft starts: the idle check at boot, which reads GitHub,
    // finds nothing, so the push below starts the first cycle.
    github.refs.delete('main');
    stack = await startStack({
      env: {
        STAGECRAFT_CONFIG: join(process.cwd(), 'test/e2e/fixtures/stagecraft.github.e2e.yaml'),
        STAGECRAFT_GITHUB__APP_ID: String(github.appId),
        STAGECRAFT_GITHUB__BASE_URL: github.baseUrl,
        GITHUB_PRIVATE_KEY: github.privateKey,
      },
    });
    await waitUntil('the idle check at boot', async () => ((await stack.jobCounts('idle-check'))['completed'] ? true : null), 30_000);
    github.setMain('m1');
    github.addPull({ number: 1, head: 'h1', author: 'alice', files: ['services/api/server.ts'] });
    github.addPull({ number: 2, head: 'h2', author: 'stranger', files: ['services/web/page.tsx'] });
    github.addPull({ number: 3, head: 'h3', author: 'alice', conflictsWith: [1], files: ['services/api/server.ts'] });
    github.addPull({ number: 4, head: 'h4', author: 'alice', labels: ['staging-skip'] });
    github.addPull({ number: 5, head: 'h5', author: 'alice', updatedAt: new Date(Date.now() - 30 * DAY).toISOString() });
    // 145 PRs against another branch fill the first pages; the last page holds a ready one.
    for (let n = 10; n < 155; n++) github.addPull({ number: n, head: `f${n}`, author: 'alice', base: 'release' });
    github.addPull({ number: 200, head: 'h200', author: 'alice', files: ['services/web/page.tsx'] });
  }, 120_000);

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
    await github?.close();
  }, 30_000);

  it('composes staging from main and the ready, trusted PRs of all pages; leaves out the rest, telling a conflict once', async () => {
    expect((await stack.sendWebhook('push', pushToMain('m1', '0'.repeat(40), ['services/api/server.ts']))).status).toBe(202);
    const [first] = await settled('the first cycle', 1);
    // No full cycle has run yet, so the first one is full.
    expect(first).toMatchObject({ state: 'succeeded', kind: 'full', mainSha: 'm1' });
    expect(first.prs).toEqual([{ repo: 'acme/app', number: 1, sha: 'h1' }, { repo: 'acme/app', number: 200, sha: 'h200' }]);
    expect(github.refs.get('staging')?.holds).toEqual(['main', 1, 200]);
    expect(first.stagingSha).toBe(github.refs.get('staging')?.sha);
    // Both pages of open PRs were read.
    expect(github.calls.filter((c) => c.method === 'GET' && c.path === '/repos/acme/app/pulls').map((c) => c.query['page'] ?? '1')).toEqual(
      expect.arrayContaining(['1', '2']),
    );
    // The untrusted, skipped and stale PRs were never merged.
    const merged = github.calls.filter((c) => c.path === '/repos/acme/app/merges').map((c) => (c.body as { head: string }).head);
    expect(merged).not.toEqual(expect.arrayContaining(['h2']));
    expect(merged.filter((h) => ['h4', 'h5'].includes(h))).toEqual([]);
    // The conflicting PR is told once, and its check run says it was left out.
    await waitUntil('the conflict comment', async () => (prComments(3).some((c) => c.body.includes('conflicts with #1')) ? true : null));
    expect(prComments(3).filter((c) => c.body.startsWith('<!-- stagecraft:conflict:h3 -->'))).toHaveLength(1);
    await waitUntil('the check run of #1 to complete', async () => (github.checkRuns.find((r) => r.head_sha === 'h1')?.status === 'completed' ? true : null));
    expect(github.checkRuns.find((r) => r.head_sha === 'h1')).toMatchObject({ name: 'stagecraft/staging', conclusion: 'success' });
    expect(github.checkRuns.find((r) => r.head_sha === 'h1')!.history).toEqual(expect.arrayContaining(['in_progress', 'completed:success']));
    expect(github.checkRuns.filter((r) => r.head_sha === 'h2')).toEqual([]);
    // The deployment is published after the check runs, by the same notifier job.
    const deployment = await waitUntil('the deployment of h1', async () => github.deployments.find((d) => d.ref === 'h1') ?? null);
    expect(deployment).toMatchObject({ environment: 'staging' });
  }, 60_000);

  it("refuses a non-maintainer's trigger with a reply; a maintainer's trigger runs a full cycle", async () => {
    await stack.sendWebhook('issue_comment', comment('@stagecraft trigger', 'stranger', 1));
    await waitUntil('the refusal', async () => (prComments(1).some((c) => c.body.includes('@stranger nothing ran')) ? true : null));
    expect(await stack.cycles()).toHaveLength(1);
    await stack.sendWebhook('issue_comment', comment('@stagecraft trigger', 'maint', 1));
    const cycles = await settled('the full cycle', 2);
    expect(cycles[1]).toMatchObject({ kind: 'full', trigger: 'trigger-command', state: 'succeeded' });
    expect(record().filter((l) => l.startsWith(`${cycles[1].id} test-kernel`))).toHaveLength(1);
  }, 60_000);

  it("an untrusted PR is never built or deployed until a maintainer's deploy; a push after that takes it out again", async () => {
    await stack.sendWebhook('pull_request', pullRequest(2, 'h2', 'stranger'));
    await new Promise((r) => setTimeout(r, 1500)); // settle + throttle would have passed
    expect(await stack.cycles()).toHaveLength(2);
    expect(record().some((l) => l.includes('2:h2'))).toBe(false);

    // A writer who is no maintainer edits the maintainer's comment into a deploy: it does not run as the maintainer.
    github.setPermission('writer', 'write');
    const queuedBefore = await stack.queuedEvents();
    const edited = await stack.sendWebhook('issue_comment', editedComment('looks good\n@stagecraft deploy', 'maint', 'writer', 2));
    expect(edited).toMatchObject({ status: 202, body: { ignored: "issue_comment of maint edited by writer: only the author's own edits run commands" } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stack.queuedEvents()).toBe(queuedBefore);
    expect(await stack.approvedSha(2)).toBeNull();
    expect(await stack.cycles()).toHaveLength(2);
    expect(record().some((l) => l.includes('2:h2'))).toBe(false);

    // The same comment created by the maintainer runs.
    await stack.sendWebhook('issue_comment', comment('looks good\n@stagecraft deploy', 'maint', 2));
    const approved = await settled('the approved cycle', 3);
    expect(await stack.approvedSha(2)).toBe('h2');
    expect(approved[2].prs).toEqual(expect.arrayContaining([{ repo: 'acme/app', number: 2, sha: 'h2' }]));
    expect(record().some((l) => l.startsWith(`${approved[2].id} deploy`) && l.includes('2:h2'))).toBe(true);

    github.addPull({ number: 2, head: 'h2b', author: 'stranger', files: ['services/web/page.tsx'] });
    await stack.sendWebhook('pull_request', pullRequest(2, 'h2b', 'stranger'));
    const removed = await settled('the cycle without #2', 4);
    expect(removed[3].prs.map((p: { number: number }) => p.number)).not.toContain(2);
    expect(github.refs.get('staging')?.holds).not.toContain(2);
    expect(record().some((l) => l.includes('2:h2b'))).toBe(false);
  }, 90_000);

  it('builds only the components whose paths changed', async () => {
    github.setCompare('m1', 'm2', ['services/web/page.tsx']);
    github.setMain('m2');
    await stack.sendWebhook('push', pushToMain('m2', 'm1', ['services/web/page.tsx']));
    const cycles = await settled('the web-only cycle', 5);
    expect(cycles[4]).toMatchObject({ mainSha: 'm2', components: ['web'], rebuild: ['web'], state: 'succeeded' });
    expect(record().filter((l) => l.startsWith(`${cycles[4].id} build`))).toEqual([`${cycles[4].id} build web`]);
  }, 60_000);

  it('keeps one check run per cycle and one comment per PR across cycles, even through a 403 rate limit', async () => {
    github.rateLimitNextWrites(2);
    await stack.sendWebhook('issue_comment', comment('@stagecraft deploy', 'maint', 1));
    const cycles = await settled('the last cycle', 6);
    await waitUntil('#1 check runs to complete', async () => {
      const runs = github.checkRuns.filter((r) => r.head_sha === 'h1');
      return runs.length === cycles.filter((c) => c.prs.some((p: { number: number }) => p.number === 1)).length && runs.every((r) => r.status === 'completed') ? runs : null;
    }, 30_000);
    const runs = github.checkRuns.filter((r) => r.head_sha === 'h1');
    expect(new Set(runs.map((r) => r.external_id)).size).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const ours = prComments(1).filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    await waitUntil('the comment to show the last cycle', async () => (prComments(1).find((c) => c.body.startsWith(MARKER))?.body.includes(cycles[5].id) ? true : null), 40_000);
    expect(github.calls.filter((c) => c.method === 'POST' && c.path === '/repos/acme/app/issues/1/comments' && c.body && String((c.body as { body: string }).body).startsWith(MARKER))).toHaveLength(1);
  }, 60_000);
});
