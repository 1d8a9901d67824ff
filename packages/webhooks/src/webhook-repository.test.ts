import { describe, expect, it } from '@jest/globals';
import { buildWebhook } from './build-webhook.js';
import { webhookRepository } from './webhook-repository.js';

describe('webhookRepository', () => {
  it.each(['push', 'pull_request', 'issue_comment', 'commit_comment', 'ping'] as const)('reads the repository of a %s', (name) => {
    expect(webhookRepository(buildWebhook(name, { repository: 'acme/other' }))).toBe('acme/other');
  });

  it.each<[string, unknown]>([
    ['an App event without a repository', { action: 'created', installation: { id: 1 } }],
    ['a repository without a name', { repository: { id: 1 } }],
    ['a null repository', { repository: null }],
    ['an empty name', { repository: { full_name: '' } }],
    ['a body that is not an object', [1, 2]],
    ['null', null],
  ])('is null for %s', (_case, payload) => {
    expect(webhookRepository(payload)).toBeNull();
  });
});
