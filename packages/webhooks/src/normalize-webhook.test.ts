import { describe, it, expect } from '@jest/globals';
import { normalizedEventSchema } from '@stagecraft/queue';
import { normalizeWebhook, PUSH_COMMITS_LIMIT } from './normalize-webhook.js';
import { buildWebhook, type WebhookFieldsByName, type WebhookName } from './build-webhook.js';
import { MalformedWebhookError } from './errors/malformed-webhook-error.js';

const receivedAt = 1_700_000_000_000;

function normalize(name: WebhookName | string, payload: any) {
  return normalizeWebhook({ name, deliveryId: 'delivery-1', receivedAt, payload, botName: 'stagecraft' });
}

/** A payload from the builder with the action asked for, then edited as the case needs. */
function sample(name: WebhookName, edit?: (payload: any) => void, action?: string) {
  const payload = buildWebhook(name, (action !== undefined ? { action } : {}) as WebhookFieldsByName[typeof name]);
  edit?.(payload);
  return payload;
}

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const BEFORE = '0000000000000000000000000000000000000000';

function commits(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, added: [`src/${i}.ts`], modified: [], removed: [] }));
}

describe('normalizeWebhook: push', () => {
  it('keeps what the policy needs from a push', () => {
    expect(normalize('push', buildWebhook('push', { installationId: 1, branch: 'master', sha: SHA, before: BEFORE, commits: [{ added: ['README.md'] }] }))).toEqual({
      event: {
        kind: 'push',
        id: 'delivery-1',
        receivedAt,
        repo: 'Codertocat/Hello-World',
        installationId: 1,
        ref: 'refs/heads/master',
        sha: SHA,
        before: BEFORE,
        author: 'Codertocat',
        paths: ['README.md'],
        pushedAt: 1557933633000,
      },
    });
  });

  it.each([
    ['Unix seconds (a push payload)', 1557933657, 1557933657000],
    ['an ISO time', '2019-05-15T15:20:57Z', 1557933657000],
    ['nothing', undefined, null],
  ])('reads repository.pushed_at given as %s', (_name, value, expected) => {
    const edited = normalize('push', sample('push', (p: any) => { p.repository.pushed_at = value; }));
    expect(edited).toMatchObject({ event: { pushedAt: expected } });
  });

  it('still reads a push queued before pushedAt was recorded (it has none)', () => {
    const { event } = normalize('push', sample('push')) as { event: Record<string, unknown> };
    const { pushedAt: _dropped, ...queuedEarlier } = event;
    expect(normalizedEventSchema.parse(queuedEarlier)).toEqual({ ...queuedEarlier, pushedAt: null });
  });

  it.each([
    ['the union of added, modified and removed, without repeats', [
      { added: ['a.ts'], modified: ['b.ts'], removed: [] },
      { added: [], modified: ['a.ts', 'c.ts'], removed: ['d.ts'] },
    ], ['a.ts', 'b.ts', 'c.ts', 'd.ts']],
    ['no commits (a branch created or deleted)', [], []],
    [`${PUSH_COMMITS_LIMIT - 1} commits (the list is complete)`, commits(PUSH_COMMITS_LIMIT - 1), commits(PUSH_COMMITS_LIMIT - 1).map((c) => c.added[0])],
    [`${PUSH_COMMITS_LIMIT} commits (GitHub may have truncated the list)`, commits(PUSH_COMMITS_LIMIT), null],
    ['more commits than GitHub lists', commits(PUSH_COMMITS_LIMIT + 5), null],
    ['a missing commit list', undefined, null],
    ['a commit without file lists', [{ id: 'x' }], null],
  ])('paths: %s', (_case, commitList, paths) => {
    const result = normalize('push', sample('push', (p) => { p.commits = commitList; }));
    expect(result).toMatchObject({ event: { paths } });
  });

  it.each([
    ['pusher.name', (p: any) => { p.pusher = { name: 'alice' }; p.sender.login = 'bob'; }, 'alice'],
    ['sender.login without a pusher', (p: any) => { delete p.pusher; p.sender.login = 'bob'; }, 'bob'],
  ])('author from %s', (_case, edit, author) => {
    expect(normalize('push', sample('push', edit))).toMatchObject({ event: { author } });
  });

  it.each([
    ['a branch other than main', (p: any) => { p.ref = 'refs/heads/feature'; }, 'refs/heads/feature'],
    ['a tag', (p: any) => { p.ref = 'refs/tags/v1'; }, 'refs/tags/v1'],
  ])('normalizes a push to %s too (routing decides what it means)', (_case, edit, ref) => {
    expect(normalize('push', sample('push', edit))).toMatchObject({ event: { kind: 'push', ref } });
  });

  it.each([
    ['an installation', (p: any) => { p.installation = { id: 42 }; }, 42],
    ['no installation', (p: any) => { delete p.installation; }, null],
  ])('installationId with %s', (_case, edit, installationId) => {
    expect(normalize('push', sample('push', edit))).toMatchObject({ event: { installationId } });
  });
});

describe('normalizeWebhook: pull_request', () => {
  it('keeps what the policy needs from an opened PR', () => {
    const payload = buildWebhook('pull_request', { action: 'opened', number: 2, sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', base: 'master', updatedAt: '2019-05-15T15:20:33Z' });
    expect(normalize('pull_request', payload)).toEqual({
      event: {
        kind: 'pull_request',
        id: 'delivery-1',
        receivedAt,
        repo: 'Codertocat/Hello-World',
        installationId: null,
        action: 'opened',
        pr: 2,
        sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        author: 'Codertocat',
        baseRef: 'master',
        draft: false,
        merged: false,
        labels: [],
        label: null,
        updatedAt: '2019-05-15T15:20:33Z',
      },
    });
  });

  it.each(['labeled', 'unlabeled'])('names the label a %s action is about, and the labels the PR has now', (action) => {
    const payload = sample('pull_request', (p: any) => {
      p.label = { name: 'staging-skip' };
      p.pull_request.labels = action === 'labeled' ? [{ name: 'bug' }, { name: 'staging-skip' }] : [{ name: 'bug' }];
    }, action);
    expect(normalize('pull_request', payload)).toMatchObject({
      event: { action, label: 'staging-skip', labels: action === 'labeled' ? ['bug', 'staging-skip'] : ['bug'] },
    });
  });

  it.each(['opened', 'synchronize', 'reopened', 'closed', 'ready_for_review', 'converted_to_draft', 'labeled', 'unlabeled', 'edited'])(
    'handles action %s',
    (action) => {
      const result = normalize('pull_request', sample('pull_request', undefined, action));
      expect(result).toMatchObject({ event: { kind: 'pull_request', action, pr: 1 } });
      expect(normalizedEventSchema.safeParse((result as { event: unknown }).event).success).toBe(true);
    },
  );

  it.each(['assigned', 'unassigned', 'locked', 'unlocked', 'review_requested', 'review_request_removed', 'auto_merge_enabled'])(
    'ignores action %s',
    (action) => {
      expect(normalize('pull_request', sample('pull_request', undefined, action))).toEqual({
        ignored: `pull_request action ${action} is not handled`,
        reason: 'unhandled_action',
      });
    },
  );

  it.each([
    ['label names', (p: any) => { p.pull_request.labels = [{ name: 'bug' }, { name: 'ready' }]; }, { labels: ['bug', 'ready'] }],
    ['a draft', (p: any) => { p.pull_request.draft = true; }, { draft: true }],
    ['a merged PR', (p: any) => { p.action = 'closed'; p.pull_request.merged = true; }, { merged: true, action: 'closed' }],
    ['the base branch', (p: any) => { p.pull_request.base.ref = 'main'; }, { baseRef: 'main' }],
  ])('keeps %s', (_case, edit, expected) => {
    expect(normalize('pull_request', sample('pull_request', edit))).toMatchObject({ event: expected });
  });
});

describe('normalizeWebhook: comments', () => {
  it('turns an issue comment on a PR into a command event', () => {
    const payload = sample('issue_comment', (p) => {
      p.comment.body = 'ship it\n@stagecraft deploy';
      p.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
    });
    expect(normalize('issue_comment', payload)).toEqual({
      event: {
        kind: 'command',
        id: 'delivery-1',
        receivedAt,
        repo: 'Codertocat/Hello-World',
        installationId: null,
        command: 'deploy',
        by: 'Codertocat',
        pr: 1,
        isPullRequest: true,
        commentId: payload.comment.id,
        sha: null,
      },
    });
  });

  it.each([
    ['on an issue', (p: any) => { p.comment.body = '@stagecraft status'; delete p.issue.pull_request; }, { command: 'status', isPullRequest: false, pr: 1 }],
    ['with several commands (the first is kept)', (p: any) => { p.comment.body = '@stagecraft trigger\n@stagecraft deploy'; }, { command: 'trigger' }],
    ['by another user', (p: any) => { p.comment.body = '@stagecraft help'; p.comment.user.login = 'alice'; p.sender.login = 'alice'; }, { by: 'alice' }],
  ])('issue_comment created %s', (_case, edit, expected) => {
    expect(normalize('issue_comment', sample('issue_comment', edit, 'created'))).toMatchObject({ event: { kind: 'command', ...expected } });
  });

  it.each([
    ['gains a command', 'typo', '@stagecraft deploy', { event: expect.objectContaining({ command: 'deploy' }) }],
    ['keeps the command it had', '@stagecraft deplyo\n@stagecraft deploy', '@stagecraft deploy', { ignored: 'issue_comment holds no new @stagecraft command', reason: 'no_command' }],
    ['gains a second command', '@stagecraft deploy', '@stagecraft deploy\n@stagecraft trigger', { event: expect.objectContaining({ command: 'trigger' }) }],
  ])('an edited comment that %s', (_case, from, body, expected) => {
    const payload = sample('issue_comment', (p) => {
      p.comment.body = body;
      p.changes = { body: { from } };
    }, 'edited');
    expect(normalize('issue_comment', payload)).toEqual(expected);
  });

  it('takes the actor from sender: the one who sent the event is the one who runs the command', () => {
    const payload = sample('issue_comment', (p) => {
      p.comment.body = '@stagecraft deploy';
      p.comment.user.login = 'Maint';
      p.sender.login = 'maint';
    }, 'created');
    expect(normalize('issue_comment', payload)).toMatchObject({ event: { command: 'deploy', by: 'maint' } });
  });

  it.each([
    ['a writer editing a maintainer\'s comment', 'maint', 'writer'],
    ['an edit whose comment names no author', undefined, 'writer'],
  ])('runs nothing for %s, even when the edit adds a command', (_case, author, editor) => {
    const payload = sample('issue_comment', (p) => {
      p.comment.body = 'looks good\n@stagecraft deploy';
      p.comment.user = author === undefined ? null : { ...p.comment.user, login: author };
      p.sender.login = editor;
      p.changes = { body: { from: 'looks good' } };
    }, 'edited');
    expect(normalize('issue_comment', payload)).toEqual({
      ignored: `issue_comment of ${String(author)} edited by ${editor}: only the author's own edits run commands`,
      reason: 'edited_by_other',
    });
  });

  it('runs an edit by the author, whatever the letter case of the login', () => {
    const payload = sample('issue_comment', (p) => {
      p.comment.body = '@stagecraft deploy';
      p.comment.user.login = 'Maint';
      p.sender.login = 'maint';
      p.changes = { body: { from: 'typo' } };
    }, 'edited');
    expect(normalize('issue_comment', payload)).toMatchObject({ event: { command: 'deploy', by: 'maint' } });
  });

  it('turns a commit comment into a command carrying the commit', () => {
    const payload = buildWebhook('commit_comment', { sha: SHA, body: '@stagecraft promote' });
    expect(normalize('commit_comment', payload)).toMatchObject({
      event: { kind: 'command', command: 'promote', pr: null, isPullRequest: false, sha: SHA },
    });
  });

  it.each([
    ['issue_comment', 'created', (p: any) => { p.comment.body = 'nice'; }, 'issue_comment holds no new @stagecraft command', 'no_command'],
    ['issue_comment', 'created', (p: any) => { p.comment.body = '> @stagecraft deploy'; }, 'issue_comment holds no new @stagecraft command', 'no_command'],
    ['issue_comment', 'deleted', (p: any) => { p.comment.body = '@stagecraft deploy'; }, 'issue_comment action deleted is not handled', 'unhandled_action'],
    ['issue_comment', 'created', (p: any) => { p.comment.body = '@stagecraft help'; p.comment.user.login = 'stagecraft[bot]'; }, 'issue_comment by stagecraft[bot] itself', 'own_comment'],
    ['issue_comment', 'created', (p: any) => { p.comment.body = '@stagecraft help'; p.comment.user.login = 'StageCraft'; }, 'issue_comment by StageCraft itself', 'own_comment'],
    ['commit_comment', 'created', (p: any) => { p.comment.body = 'ok'; }, 'commit_comment holds no new @stagecraft command', 'no_command'],
  ])('ignores %s %s without a command for us', (name, action, edit, ignored, reason) => {
    expect(normalize(name, sample(name as WebhookName, edit, action))).toEqual({ ignored, reason });
  });
});

describe('normalizeWebhook: other events', () => {
  it.each([
    ['ping', sample('ping'), 'ping', 'ping'],
    ['workflow_run', { action: 'completed', repository: { full_name: 'a/b' } }, 'event workflow_run is not handled', 'unhandled_event'],
    ['star', {}, 'event star is not handled', 'unhandled_event'],
  ])('ignores %s', (name, payload, ignored, reason) => {
    expect(normalize(name, payload)).toEqual({ ignored, reason });
  });

  it.each([
    ['push', null],
    ['push', [1, 2]],
    ['push', 'text'],
    ['push', { ref: 'refs/heads/main' }],
    ['pull_request', { action: 'opened', number: 1, repository: { full_name: 'a/b' } }],
    ['issue_comment', { action: 'created', repository: { full_name: 'a/b' }, issue: { number: 1 }, comment: { user: { login: 'x' } } }],
    ['issue_comment', { action: 'created', repository: { full_name: 'a/b' }, comment: { id: 1, body: '@stagecraft deploy', user: { login: 'x' } } }],
    ['issue_comment', { action: 'created', repository: { full_name: 'a/b' }, issue: { number: 1 }, comment: { id: 1, body: '@stagecraft deploy', user: { login: 'x' } } }],
  ])('rejects a %s payload lacking required fields: %j', (name, payload) => {
    expect(() => normalize(name, payload)).toThrow(MalformedWebhookError);
  });
});

describe('normalizeWebhook: checks', () => {
  const SHA_C = 'c'.repeat(40);

  it.each<[string, string, string | null, string]>([
    ['a queued run', 'queued', null, 'pending'],
    ['a run in progress', 'in_progress', null, 'pending'],
    ['a successful run', 'completed', 'success', 'green'],
    ['a skipped run', 'completed', 'skipped', 'green'],
    ['a neutral run', 'completed', 'neutral', 'green'],
    ['a failed run', 'completed', 'failure', 'failed'],
    ['a run that timed out', 'completed', 'timed_out', 'failed'],
  ])('check_run: %s', (_case, status, conclusion, state) => {
    const payload = buildWebhook('check_run', { action: status === 'completed' ? 'completed' : 'created', status, conclusion, sha: SHA_C, name: 'ci/build' });
    expect(normalize('check_run', payload)).toMatchObject({ event: { kind: 'checks', source: 'check_run', sha: SHA_C, checks: [{ type: 'run', name: 'ci/build', state }] } });
  });

  it('orders a run by when it completed, else when it started', () => {
    const started = '2026-03-01T10:00:00Z';
    const completed = '2026-03-01T10:07:00Z';
    expect(normalize('check_run', buildWebhook('check_run', { startedAt: started }))).toMatchObject({ event: { checks: [{ at: Date.parse(started) }] } });
    expect(normalize('check_run', buildWebhook('check_run', { action: 'completed', startedAt: started, completedAt: completed }))).toMatchObject({ event: { checks: [{ at: Date.parse(completed) }] } });
  });

  it.each([
    ['check_run', 'rerequested'],
    ['check_run', 'requested_action'],
    ['check_suite', 'requested'],
    ['check_suite', 'rerequested'],
  ] as const)('ignores %s %s: a new run follows it with an event of its own', (name, action) => {
    expect(normalize(name, buildWebhook(name, { action }))).toEqual({ ignored: `${name} action ${action} is not handled`, reason: 'unhandled_action' });
  });

  it('a status without its context is malformed', () => {
    expect(() => normalize('status', sample('status', (p) => { delete p.context; }))).toThrow(MalformedWebhookError);
  });

  it('a check run without a time GitHub always sends is malformed', () => {
    expect(() => normalize('check_run', sample('check_run', (p) => { p.check_run.started_at = null; }))).toThrow('checks.0.at');
  });
});
