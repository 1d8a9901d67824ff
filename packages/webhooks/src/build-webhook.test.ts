import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { buildWebhook, BUILDABLE_WEBHOOKS, type WebhookFieldsByName, type WebhookName } from './build-webhook.js';
import { normalizeWebhook } from './normalize-webhook.js';

// GitHub's own example deliveries: only this test loads them (a devDependency, kept out of the image).
const GITHUB_EXAMPLES = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/** Every field path in GitHub's examples of `name` (`commits[].added`), with the JSON types seen there. */
function githubFields(name: WebhookName): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  const add = (path: string, type: string) => fields.set(path, (fields.get(path) ?? new Set()).add(type));
  for (const example of GITHUB_EXAMPLES.find((d) => d.name === name)?.examples ?? []) walk(example, '', add);
  // The issue_comment examples are all on plain issues; an issue is the same object in the issues
  // event, whose examples include a pull request's (with issue.pull_request).
  if (name === 'issue_comment') {
    for (const example of GITHUB_EXAMPLES.find((d) => d.name === 'issues')?.examples ?? []) {
      walk((example as { issue?: unknown }).issue, 'issue', add);
    }
  }
  return fields;
}

/** A field's problem against GitHub's fields, or null. */
function mismatch(github: Map<string, Set<string>>, path: string, type: string): string | null {
  const types = github.get(path);
  if (!types) {
    // The examples hold some lists only empty (a commit's `removed`): their items cannot be compared.
    const list = path.endsWith('[]') ? github.get(path.slice(0, -2)) : undefined;
    return list?.has('array') && type !== 'object' && type !== 'array' ? null : `${path}: not in GitHub's examples`;
  }
  return types.has(type) || type === 'null' || types.has('null') ? null : `${path}: ${type}, GitHub sends ${[...types].join('/')}`;
}

function walk(value: unknown, path: string, visit: (path: string, type: string) => void): void {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (path !== '') visit(path, type);
  if (Array.isArray(value)) for (const item of value) walk(item, `${path}[]`, visit);
  else if (type === 'object') for (const [key, v] of Object.entries(value as object)) walk(v, path === '' ? key : `${path}.${key}`, visit);
}

/** What Stagecraft reads of each delivery (the normalizer, the ingress's repository check, the CLI's summary). */
const FIELDS_READ: Record<WebhookName, string[]> = {
  push: ['ref', 'after', 'before', 'repository.full_name', 'installation.id', 'pusher.name', 'sender.login', 'commits[].added', 'commits[].modified', 'commits[].removed', 'head_commit.added'],
  pull_request: [
    'action', 'number', 'repository.full_name', 'installation.id', 'pull_request.number', 'pull_request.head.sha', 'pull_request.user.login',
    'pull_request.base.ref', 'pull_request.draft', 'pull_request.merged', 'pull_request.labels[].name', 'pull_request.updated_at',
  ],
  issue_comment: ['action', 'repository.full_name', 'installation.id', 'issue.number', 'issue.pull_request', 'comment.id', 'comment.body', 'comment.user.login', 'sender.login', 'changes.body.from'],
  commit_comment: ['action', 'repository.full_name', 'comment.id', 'comment.body', 'comment.commit_id', 'comment.user.login', 'sender.login'],
  check_run: ['action', 'repository.full_name', 'installation.id', 'check_run.head_sha', 'check_run.name', 'check_run.status', 'check_run.conclusion', 'check_run.started_at', 'check_run.completed_at'],
  check_suite: ['action', 'repository.full_name', 'installation.id', 'check_suite.head_sha'],
  status: ['repository.full_name', 'installation.id', 'sha', 'context', 'state', 'updated_at', 'created_at'],
  ping: ['zen', 'hook_id', 'repository.full_name'],
};

/** Fields that make every optional part appear (installation, labels, an edit's previous text). */
const FULL: { [N in WebhookName]: WebhookFieldsByName[N] } = {
  push: { installationId: 42, commits: [{ added: ['a.ts'], modified: ['b.ts'], removed: ['c.ts'] }] },
  pull_request: { installationId: 42, labels: ['bug'], action: 'labeled' },
  issue_comment: { installationId: 42, action: 'edited', previousBody: 'before', body: 'after' },
  commit_comment: { installationId: 42 },
  check_run: { installationId: 42, action: 'completed', conclusion: 'failure', pullRequests: [2] },
  check_suite: { installationId: 42, pullRequests: [2] },
  status: { installationId: 42, description: 'Build passed', targetUrl: 'https://ci.example/1' },
  ping: {},
};

describe('buildWebhook: the shape of GitHub\'s deliveries', () => {
  it.each(BUILDABLE_WEBHOOKS)('%s: every field it builds is one GitHub sends, with the same type', (name) => {
    const github = githubFields(name);
    const problems: string[] = [];
    walk(buildWebhook(name, FULL[name]), '', (path, type) => {
      const problem = mismatch(github, path, type);
      if (problem) problems.push(problem);
    });
    expect(problems).toEqual([]);
  });

  it.each(BUILDABLE_WEBHOOKS)('%s: has every field Stagecraft reads, where GitHub has it', (name) => {
    const github = githubFields(name);
    const built = new Map<string, string>();
    walk(buildWebhook(name, FULL[name]), '', (path, type) => built.set(path, type));
    const missing = FIELDS_READ[name].filter((path) => !built.has(path) || !github.has(path) || !github.get(path)!.has(built.get(path)!));
    expect(missing).toEqual([]);
  });
});

const SHA = 'f'.repeat(40);

/** What the ingress makes of it: the payload must pass the real normalizer. */
function normalized(name: WebhookName, payload: Record<string, any>) {
  const result = normalizeWebhook({ name, deliveryId: 'd-1', receivedAt: 1, payload, botName: 'stagecraft' });
  if (!('event' in result)) throw new Error(`ignored: ${result.ignored}`);
  return result.event as Record<string, unknown>;
}

describe('buildWebhook: what the ingress makes of it', () => {
  it('a push to a branch of the repository, modifying the given paths', () => {
    const payload = buildWebhook('push', { repository: 'acme/shop', branch: 'trunk', sha: SHA, author: 'alice', paths: ['src/api/server.ts', 'tests/list.txt'] });
    expect(normalized('push', payload)).toMatchObject({ kind: 'push', repo: 'acme/shop', ref: 'refs/heads/trunk', sha: SHA, author: 'alice', paths: ['src/api/server.ts', 'tests/list.txt'] });
    expect(payload['head_commit']).toMatchObject({ id: SHA, modified: ['src/api/server.ts', 'tests/list.txt'], added: [], removed: [] });
    expect(payload['commits']).toEqual([payload['head_commit']]);
  });

  it('a push by Codertocat of README.md to main unless told otherwise', () => {
    expect(buildWebhook('push')).toMatchObject({ ref: 'refs/heads/main', pusher: { name: 'Codertocat' }, repository: { full_name: 'Codertocat/Hello-World' } });
    expect(normalized('push', buildWebhook('push'))).toMatchObject({ author: 'Codertocat', paths: ['README.md'], installationId: null });
  });

  it('a push of several commits: the union of their files, the last one the head', () => {
    const payload = buildWebhook('push', { sha: SHA, commits: [{ added: ['a.ts'] }, { modified: ['b.ts'], removed: ['c.ts'] }] });
    expect(normalized('push', payload)).toMatchObject({ sha: SHA, paths: ['a.ts', 'b.ts', 'c.ts'] });
    expect(payload['head_commit'].id).toBe(SHA);
  });

  it.each(['opened', 'synchronize', 'reopened', 'closed'])('a pull request (%s)', (action) => {
    const payload = buildWebhook('pull_request', { repository: 'acme/shop', action, number: 42, sha: SHA, author: 'alice', base: 'trunk', labels: ['staging-skip'], installationId: 7, updatedAt: '2026-01-02T03:04:05Z' });
    expect(normalized('pull_request', payload)).toEqual({
      kind: 'pull_request', id: 'd-1', receivedAt: 1, repo: 'acme/shop', installationId: 7, action, pr: 42, sha: SHA, author: 'alice',
      baseRef: 'trunk', draft: false, merged: false, labels: ['staging-skip'], label: null, updatedAt: '2026-01-02T03:04:05Z',
    });
    expect(payload['sender'].login).toBe('alice');
    expect(payload['pull_request'].state).toBe(action === 'closed' ? 'closed' : 'open');
  });

  it('a draft, merged pull request', () => {
    expect(normalized('pull_request', buildWebhook('pull_request', { action: 'closed', draft: true, merged: true }))).toMatchObject({ draft: true, merged: true });
  });

  it('a command comment on the pull request', () => {
    const payload = buildWebhook('issue_comment', { repository: 'acme/shop', number: 42, author: 'alice', body: '@stagecraft trigger', commentId: 9 });
    expect(normalized('issue_comment', payload)).toMatchObject({ kind: 'command', command: 'trigger', by: 'alice', pr: 42, isPullRequest: true, repo: 'acme/shop', commentId: 9 });
  });

  it('a comment on a plain issue', () => {
    expect(normalized('issue_comment', buildWebhook('issue_comment', { body: '@stagecraft status', isPullRequest: false }))).toMatchObject({ isPullRequest: false });
  });

  it('an edited comment counts only the commands it did not hold before', () => {
    const edited = (previousBody: string) => buildWebhook('issue_comment', { action: 'edited', body: '@stagecraft deploy', previousBody });
    expect(normalizeWebhook({ name: 'issue_comment', deliveryId: 'd', receivedAt: 1, payload: edited('@stagecraft deploy'), botName: 'stagecraft' })).toMatchObject({ reason: 'no_command' });
    expect(normalized('issue_comment', edited('@stagecraft deplyo'))).toMatchObject({ command: 'deploy' });
  });

  it('a promote command on a commit', () => {
    expect(normalized('commit_comment', buildWebhook('commit_comment', { sha: SHA, body: '@stagecraft promote', author: 'maint' }))).toMatchObject({ kind: 'command', command: 'promote', sha: SHA, by: 'maint', pr: null });
  });

  it('a completed check run of the PR head, failed', () => {
    const payload = buildWebhook('check_run', { repository: 'acme/shop', action: 'completed', name: 'lint', sha: SHA, conclusion: 'failure', startedAt: '2026-01-02T03:04:05Z', completedAt: '2026-01-02T03:05:05Z', pullRequests: [42] });
    expect(normalized('check_run', payload)).toEqual({
      kind: 'checks', id: 'd-1', receivedAt: 1, repo: 'acme/shop', installationId: null, source: 'check_run', sha: SHA,
      checks: [{ type: 'run', name: 'lint', state: 'failed', at: Date.parse('2026-01-02T03:05:05Z') }],
    });
    expect(payload['check_run'].pull_requests[0]).toMatchObject({ number: 42, head: { sha: SHA } });
  });

  it('a check run just created: queued, so pending since it started', () => {
    const payload = buildWebhook('check_run', { sha: SHA, startedAt: '2026-01-02T03:04:05Z' });
    expect(payload['check_run']).toMatchObject({ status: 'queued', conclusion: null, completed_at: null });
    expect(normalized('check_run', payload)).toMatchObject({ checks: [{ type: 'run', name: 'ci/build', state: 'pending', at: Date.parse('2026-01-02T03:04:05Z') }] });
  });

  it('a completed check suite, which names no check', () => {
    expect(normalized('check_suite', buildWebhook('check_suite', { sha: SHA, installationId: 7 }))).toMatchObject({ kind: 'checks', source: 'check_suite', sha: SHA, installationId: 7, checks: [] });
  });

  it.each<[string, string]>([
    ['success', 'green'],
    ['pending', 'pending'],
    ['error', 'failed'],
  ])('a commit status (%s)', (state, expected) => {
    const payload = buildWebhook('status', { sha: SHA, context: 'ci/jenkins', state, updatedAt: '2026-01-02T03:04:05+00:00' });
    expect(normalized('status', payload)).toMatchObject({ kind: 'checks', source: 'status', sha: SHA, checks: [{ type: 'status', name: 'ci/jenkins', state: expected, at: Date.parse('2026-01-02T03:04:05Z') }] });
  });

  it('a ping, which the ingress ignores', () => {
    expect(normalizeWebhook({ name: 'ping', deliveryId: 'd', receivedAt: 1, payload: buildWebhook('ping'), botName: 'stagecraft' })).toMatchObject({ reason: 'ping' });
  });

  it('a fresh payload each time, the caller may change', () => {
    const first = buildWebhook('pull_request', { number: 3 });
    first['pull_request'].user.login = 'changed';
    expect(buildWebhook('pull_request', { number: 3 })['pull_request'].user.login).toBe('Codertocat');
  });

  it('names what it cannot build', () => {
    expect(() => buildWebhook('no_such_event' as WebhookName)).toThrow('buildWebhook has no "no_such_event" payload; use one of push, pull_request, issue_comment, commit_comment, check_run, check_suite, status, ping');
  });
});
