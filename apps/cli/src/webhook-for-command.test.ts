import { describe, expect, it } from '@jest/globals';
import { normalizeWebhook } from '@stagecraft/webhooks';
import type { CliCommand } from './cli-command.js';
import { webhookForCommand, type CommandWebhookContext } from './webhook-for-command.js';

const SHA = 'f'.repeat(40);
const context: CommandWebhookContext = { repository: 'acme/shop', mainBranch: 'trunk', sha: SHA, body: '@stagecraft trigger' };
const command = (event: 'push' | 'pull_request' | 'issue_comment', options: Partial<Extract<CliCommand, { name: 'send-webhook' }>> = {}) =>
  ({ name: 'send-webhook', event, repo: null, configPath: null, url: null, secret: null, pr: 42, sha: null, author: 'alice', body: null, paths: null, action: null, ...options }) as const;

/** What the ingress will make of it: the payload must pass the real normalizer. */
function normalized(cmd: ReturnType<typeof command>) {
  const payload = webhookForCommand(cmd, context);
  const result = normalizeWebhook({ name: cmd.event, deliveryId: 'd-1', receivedAt: 1, payload, botName: 'stagecraft' });
  if (!('event' in result)) throw new Error(`ignored: ${result.ignored}`);
  return result.event as Record<string, unknown>;
}

describe('webhookForCommand', () => {
  it('makes a push to the main branch of the configured repository, modifying the given paths', () => {
    expect(normalized(command('push', { paths: ['src/api/server.ts', 'tests/list.txt'] }))).toMatchObject({
      kind: 'push', repo: 'acme/shop', ref: 'refs/heads/trunk', sha: SHA, author: 'alice', paths: ['src/api/server.ts', 'tests/list.txt'],
    });
  });

  it("keeps the builder's file and pusher when none are given", () => {
    expect(normalized(command('push', { author: null }))).toMatchObject({ author: 'Codertocat', paths: ['README.md'] });
  });

  it.each([null, 'synchronize', 'reopened'])('makes a ready pull request against main (action %s)', (action) => {
    expect(normalized(command('pull_request', { action }))).toMatchObject({
      kind: 'pull_request', action: action ?? 'opened', pr: 42, sha: SHA, author: 'alice', baseRef: 'trunk', draft: false, repo: 'acme/shop',
    });
  });

  it('makes a command comment on the pull request', () => {
    expect(normalized(command('issue_comment'))).toMatchObject({ kind: 'command', command: 'trigger', by: 'alice', pr: 42, isPullRequest: true, repo: 'acme/shop' });
  });
});
