import { describe, expect, it } from '@jest/globals';
import { normalizeWebhook, sampleWebhook } from '@stagecraft/webhooks';
import { webhookOverrides, type WebhookFields } from './webhook-overrides.js';

const SHA = 'f'.repeat(40);
const fields: WebhookFields = {
  repository: 'acme/shop',
  mainBranch: 'trunk',
  sha: SHA,
  pr: 42,
  author: 'alice',
  body: '@stagecraft trigger',
  paths: ['src/api/server.ts', 'tests/list.txt'],
};

/** What the ingress will make of it: the payload must pass the real normalizer. */
const normalized = (name: 'push' | 'pull_request' | 'issue_comment', f: WebhookFields, action?: string) => {
  const { payload } = sampleWebhook(name, webhookOverrides(name, f), action);
  const result = normalizeWebhook({ name, deliveryId: 'd-1', receivedAt: 1, payload, botName: 'stagecraft', mainBranch: f.mainBranch });
  if (!('event' in result)) throw new Error(`ignored: ${result.ignored}`);
  return { payload, event: result.event as Record<string, unknown> };
};

describe('webhookOverrides', () => {
  it('makes a push to the main branch of the configured repository, modifying the given paths', () => {
    const { payload, event } = normalized('push', fields);
    expect(event).toMatchObject({ kind: 'push', repo: 'acme/shop', ref: 'refs/heads/trunk', sha: SHA, author: 'alice', paths: fields.paths });
    expect(payload.head_commit).toMatchObject({ id: SHA, modified: fields.paths, added: [], removed: [] });
    expect(payload.commits).toEqual([payload.head_commit]);
  });

  it("keeps the example's files and pusher when none are given", () => {
    const { event } = normalized('push', { ...fields, paths: null, author: null });
    expect(event).toMatchObject({ author: 'Codertocat', paths: ['README.md'] });
  });

  it.each(['opened', 'synchronize', 'reopened'])('makes a ready pull request against main (%s)', (action) => {
    const { payload, event } = normalized('pull_request', fields, action);
    expect(event).toMatchObject({ kind: 'pull_request', action, pr: 42, sha: SHA, author: 'alice', baseRef: 'trunk', draft: false, repo: 'acme/shop' });
    expect(payload.sender.login).toBe('alice');
    // Updated now, as GitHub would stamp it: within compose.maxAge.
    expect(Date.now() - Date.parse((event as { updatedAt: string }).updatedAt)).toBeLessThan(60_000);
  });

  it('makes a command comment on the pull request', () => {
    const { payload, event } = normalized('issue_comment', fields);
    expect(event).toMatchObject({ kind: 'command', command: 'trigger', by: 'alice', pr: 42, isPullRequest: true, repo: 'acme/shop' });
    expect(payload.sender.login).toBe('alice');
  });
});
